using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The provider console manages a tenant's users, and the user's open session follows: staff find the tenant by a
/// filter, make its second admin a user, disable and enable that user; the user's page reacts at its next click; a
/// disabled user is removed after confirming.
/// A deep link opened signed-out lands on its page after signing in. At 1440 and 375 px, with axe-core on every
/// state and the focus ring's contrast measured.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ConsoleJourneyTests(BrowserApp app)
{
    static ConsoleJourneyTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task StaffChangeDisableAndEnableAUserWhoseOpenSessionReactsAtItsNextClick(int width)
    {
        var tenant = await app.OnboardAndSignInAsync("Console " + Guid.NewGuid().ToString("N")[..6]);
        var userName = "second-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName, "TenantAdmin");
        await using var staff = await BrowserPage.OpenAsync(app, $"console-{width}", BrowserPage.At(width));
        await using var user = await BrowserPage.OpenAsync(app, $"console-user-{width}", BrowserPage.At(width));
        var shot = staff.DocumentPrefix;
        var console = staff.Page;
        var page = user.Page;

        await BrowserPage.StepsAsync(
            async () =>
            {
                // A deep link opened signed-out goes to sign in, then lands on its page.
                await user.GotoAsync("app.html#/users");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
                await page.GetByLabel("User name").FillAsync(userName);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
                Assert.EndsWith("app.html#/users", page.Url, StringComparison.Ordinal);
                await Expect(page.Locator("#company-name")).ToHaveTextAsync(tenant.TenantName);
                await Expect(page.Locator("#users-table")).ToContainTextAsync("Admin");
                await Expect(page.Locator("body")).Not.ToContainTextAsync("TenantAdmin");
                await user.AssertAccessibleAsync();
                await user.DocumentScreenshotAsync(shot + "tenant-users");

                // Staff find the tenant by status, plan and name, newest first; the choice is kept in the URL.
                await SignInAsStaffAsync(staff);
                await console.GetByLabel("Status").SelectOptionAsync("Active");
                await console.GetByLabel("Plan").SelectOptionAsync("Basic");
                await console.GetByLabel("Order").SelectOptionAsync("Newest first");
                await console.GetByLabel("Search by name, email or id").FillAsync(tenant.TenantName);
                await console.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                await Expect(console.Locator("#tenants-table tbody tr")).ToHaveCountAsync(1);
                await Expect(console.Locator(".list-total")).ToHaveTextAsync("1 tenant");
                Assert.Contains("status=Active&tier=Basic&sort=-created", console.Url, StringComparison.Ordinal);
                await console.ReloadAsync();
                await Expect(console.Locator("#tenants-table tbody tr")).ToHaveCountAsync(1);
                await Expect(console.GetByLabel("Order")).ToHaveValueAsync("-created");
                await Expect(console.GetByLabel("Plan")).ToHaveValueAsync("Basic");
                await Expect(console.Locator("main")).Not.ToContainTextAsync("null");
                await staff.AssertAccessibleAsync();
                await staff.DocumentScreenshotAsync(shot + "tenants");
                await AssertFocusRingContrastAsync(console);

                // The Users page, filtered by that tenant: the second admin is made a user.
                await GoAsync(staff, "Users");
                await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
                await console.Locator("#filter-tenant").SelectOptionAsync(new SelectOptionValue { Label = tenant.TenantName });
                await console.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
                var row = console.Locator($"#users-table tbody tr[data-user-name='{userName}']");
                await Expect(console.Locator("#users-table tbody tr")).ToHaveCountAsync(2);
                await Expect(row).ToContainTextAsync("Active");
                await staff.AssertAccessibleAsync();
                await staff.DocumentScreenshotAsync(shot + "users");
                await row.GetByRole(AriaRole.Button, new() { Name = $"Make User ({userName})" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToHaveTextAsync($"{userName} is now a User.");
                await Expect(row.Locator("td[data-label='Role']")).ToHaveTextAsync("User");

                // The user's next click is refused, the page learns the new role and hides the admins' pages.
                await GoAsync(user, "Company profile");
                await Expect(page.GetByText("Your role is now User")).ToBeVisibleAsync();
                await Expect(page.Locator("#site-nav")).Not.ToContainTextAsync("Users");
                await user.AssertAccessibleAsync();

                // Disabled: the user's next click ends the session, in words, with the way back to sign in.
                await row.GetByRole(AriaRole.Button, new() { Name = $"Disable ({userName})" }).ClickAsync();
                await console.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable user" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToHaveTextAsync($"{userName} is disabled.");
                await Expect(row.Locator("td[data-label='Status']")).ToHaveTextAsync("Disabled");
                await staff.AssertAccessibleAsync();
                await GoAsync(user, "Orders");
                await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your session has ended. Sign in again to continue.");
                await user.AssertAccessibleAsync();

                // Enabled again: the user signs in again.
                await row.GetByRole(AriaRole.Button, new() { Name = $"Enable ({userName})" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToHaveTextAsync($"{userName} is enabled again and can sign in.");
                await Expect(row.Locator("td[data-label='Status']")).ToHaveTextAsync("Active");
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }).ClickAsync();
                await page.GetByLabel("User name").FillAsync(userName);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator("#company-name")).ToHaveTextAsync(tenant.TenantName);
                await user.AssertAccessibleAsync();

                // A user added from the console has not signed in yet: its invitation can be sent again.
                var invited = "invited-" + tenant.TenantId[..8];
                await console.GetByLabel("User name").FillAsync(invited);
                await console.GetByLabel("Email", new() { Exact = true }).FillAsync(invited + "@example.com");
                await console.Locator("#new-user-tenantId").SelectOptionAsync(new SelectOptionValue { Label = tenant.TenantName });
                await console.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToContainTextAsync($"{invited} was added.");
                var invitedRow = console.Locator($"#users-table tbody tr[data-user-name='{invited}']");
                await Expect(invitedRow).ToContainTextAsync("Invited, has not signed in yet");
                await invitedRow.GetByRole(AriaRole.Button, new() { Name = $"Resend invitation ({invited})" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToHaveTextAsync($"A new temporary password was sent to {invited}@example.com.");
                await staff.AssertAccessibleAsync();

                // Removed for good: only once disabled, and only after confirming.
                await Expect(invitedRow.GetByRole(AriaRole.Button, new() { Name = $"Remove ({invited})" })).ToHaveCountAsync(0);
                await invitedRow.GetByRole(AriaRole.Button, new() { Name = $"Disable ({invited})" }).ClickAsync();
                await console.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable user" }).ClickAsync();
                await Expect(invitedRow.Locator("td[data-label='Status']")).ToHaveTextAsync("Disabled");
                await invitedRow.GetByRole(AriaRole.Button, new() { Name = $"Remove ({invited})" }).ClickAsync();
                await Expect(console.GetByRole(AriaRole.Dialog)).ToContainTextAsync("This cannot be undone.");
                await staff.AssertAccessibleAsync();
                await console.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove user" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToHaveTextAsync($"{invited} is removed.");
                await Expect(invitedRow).ToHaveCountAsync(0);
                await staff.AssertAccessibleAsync();
            },
            staff,
            user);

        staff.AssertNoProblems();
        user.AssertNoProblems();
    }

    /// <summary>Focuses the first button with the keyboard and measures its outline against the page: at least 3:1.</summary>
    private static async Task AssertFocusRingContrastAsync(IPage page)
    {
        await page.Locator("main button").First.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");
        var ratio = await page.EvaluateAsync<double>(
            """
            () => {
              const rgb = (text) => text.match(/[\d.]+/g).slice(0, 3).map(Number);
              const luminance = ([r, g, b]) => {
                const channel = (value) => { const c = value / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
              };
              const focused = document.activeElement;
              const style = getComputedStyle(focused);
              if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
              const ring = luminance(rgb(style.outlineColor));
              const page = luminance(rgb(getComputedStyle(document.documentElement).backgroundColor));
              return (Math.max(ring, page) + 0.05) / (Math.min(ring, page) + 0.05);
            }
            """);
        Assert.True(ratio >= 3, $"The focus ring's contrast against the page is {ratio:0.00}:1.");
    }
}
