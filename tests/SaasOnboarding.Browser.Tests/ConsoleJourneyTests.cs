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
        var phone = width < 600;
        var tenant = await app.OnboardAndSignInAsync("Console " + Guid.NewGuid().ToString("N")[..6]);
        var userName = "second-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName, "TenantAdmin");
        var viewport = phone ? BrowserPage.Phone : BrowserPage.Desktop;
        Assert.Equal(width, viewport.Width);
        var shot = phone ? "phone-" : string.Empty;
        await using var staff = await BrowserPage.OpenAsync(app, $"console-{width}", viewport);
        await using var user = await BrowserPage.OpenAsync(app, $"console-user-{width}", viewport);
        var console = staff.Page;
        var page = user.Page;

        async Task GoAsync(IPage on, string name)
        {
            if (phone)
            {
                await PhoneNavAsync(on, name);
            }
            else
            {
                await Expect(on.GetByRole(AriaRole.Button, new() { Name = "Menu" })).ToBeHiddenAsync();
                await Nav(on, name).ClickAsync();
            }
        }

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
                await GoAsync(console, "Users");
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
                await GoAsync(page, "Company profile");
                await Expect(page.GetByText("Your role is now User")).ToBeVisibleAsync();
                await Expect(page.Locator("#site-nav")).Not.ToContainTextAsync("Users");
                await user.AssertAccessibleAsync();

                // Disabled: the user's next click ends the session, in words, with the way back to sign in.
                await row.GetByRole(AriaRole.Button, new() { Name = $"Disable ({userName})" }).ClickAsync();
                await console.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable user" }).ClickAsync();
                await Expect(console.Locator(".notice")).ToHaveTextAsync($"{userName} is disabled.");
                await Expect(row.Locator("td[data-label='Status']")).ToHaveTextAsync("Disabled");
                await staff.AssertAccessibleAsync();
                await GoAsync(page, "Orders");
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

    [Fact]
    public async Task ACompanySignsUpAtPhoneWidthReachesItsProductsAndIsToldWhenItIsDeactivated()
    {
        var companyName = "Pocket " + Guid.NewGuid().ToString("N")[..6];
        await using var tenant = await BrowserPage.OpenAsync(app, "phone-sign-up", BrowserPage.Phone);
        var page = tenant.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await tenant.GotoAsync("signup.html");
                await page.GetByLabel("Company name").FillAsync(companyName);
                await page.GetByLabel("Email of the administrator").FillAsync("owner@pocket.test");
                await page.GetByLabel("Plan").SelectOptionAsync("Standard");
                await Expect(page.Locator("#signup-tenantTier-hint")).ToHaveTextAsync("Up to 100 requests a second for your company.");
                await tenant.AssertAccessibleAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Create company account" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeFocusedAsync();
                var adminUserName = (await page.Locator("#signup-done-user").InnerTextAsync()).Trim();
                await tenant.AssertAccessibleAsync();

                await page.GetByRole(AriaRole.Link, new() { Name = "dev mailbox" }).ClickAsync();
                var message = page.Locator("article.mail-message").Filter(new() { Has = page.Locator(".mail-user", new() { HasTextString = adminUserName }) });
                var temporaryPassword = (await message.Locator(".mail-password").InnerTextAsync()).Trim();
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(temporaryPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await page.GetByLabel("New password", new() { Exact = true }).FillAsync(ApiClient.NewPassword);
                await page.GetByLabel("Type it again").FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();

                // Its products, under a one-line header whose menu opens the navigation.
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator("#company-name")).ToHaveTextAsync(companyName);
                await Expect(page.Locator("#site-nav")).ToBeHiddenAsync();
                var header = await page.Locator(".site-header").BoundingBoxAsync();
                Assert.True(header!.Height < 812 / 8, $"The header is {header.Height} px high at phone width.");
                await tenant.AssertAccessibleAsync();
                await tenant.DocumentScreenshotAsync("phone-products");
                await PhoneNavAsync(page, "Orders");
                await Expect(page.GetByText("No orders yet.")).ToBeVisibleAsync();
                await tenant.AssertAccessibleAsync();

                // A product in the cart: its price has the currency, and the cart's column labels never break inside a word.
                var tokens = await app.SignInAsync(adminUserName, ApiClient.NewPassword);
                using (var admin = app.Client(tokens.IdToken))
                {
                    await (await admin.PostAsJsonAsync("/product", new { name = "Torch", sku = "T-1", price = 12.5m, quantity = 3 })).ShouldBe(HttpStatusCode.Created);
                }

                await PhoneNavAsync(page, "Products");
                await Expect(ProductRow(page, "T-1").Locator("td[data-label='Price']")).ToHaveTextAsync("US$12.50");
                await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart (Torch)" }).ClickAsync();
                await PhoneNavAsync(page, "Cart");
                var quantityLabel = await page.Locator("#cart-table td[data-label='Quantity']").EvaluateAsync<string>("td => getComputedStyle(td, '::before').whiteSpace");
                Assert.Equal("nowrap", quantityLabel);
                await tenant.AssertAccessibleAsync();
                await tenant.DocumentScreenshotAsync("phone-cart");

                // Deactivated by the provider, its admin is told so at sign-in (after the right password only).
                using (var system = app.Client((await app.SystemAdminAsync()).IdToken))
                {
                    var tenantId = adminUserName["tenant-admin-".Length..];
                    await (await system.DeleteAsync($"/tenant/{tenantId}")).ShouldBe(HttpStatusCode.OK);
                }

                await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
                await page.GetByLabel("User name").FillAsync(adminUserName);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your company account is deactivated");
                await tenant.AssertAccessibleAsync();
            },
            tenant);

        tenant.AssertNoProblems();
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
