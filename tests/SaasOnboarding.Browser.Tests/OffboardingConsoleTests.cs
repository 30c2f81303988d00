using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// Offboarding in the browser: a tenant admin closes the company's account from the company profile (after
/// confirming) and is signed out; the provider console shows the tenant offboarding with its purge deadline and who
/// started it, and cancels the offboarding (after confirming), after which the tenant is active again and its admin
/// signs in; the provider then offboards it from the console. At 1440 and at 375 px, every state passing axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class OffboardingConsoleTests(BrowserApp app)
{
    static OffboardingConsoleTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task ATenantAdminClosesTheAccountAndTheProviderSeesTheDeadlineAndCancels(int width)
    {
        var tenant = await app.OnboardAndSignInAsync("Leaving " + Guid.NewGuid().ToString("N")[..6]);

        await using var admin = await BrowserPage.OpenAsync(app, $"offboarding-tenant-{width}", BrowserPage.At(width));
        await using var staff = await BrowserPage.OpenAsync(app, $"offboarding-staff-{width}", BrowserPage.At(width));
        var page = admin.Page;
        var console = staff.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await GoAsync(admin, "Company profile");
                await Expect(page.Locator("#close-account")).ToContainTextAsync("Download an export of your data first");
                await admin.CheckStateAsync("profile");
                await page.GetByRole(AriaRole.Button, new() { Name = "Close the account" }).ClickAsync();
                var closing = page.GetByRole(AriaRole.Dialog, new() { Name = $"Close the account of {tenant.TenantName}?" });
                await Expect(closing.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
                await admin.CheckStateAsync("close-account-confirmation");
                await closing.GetByRole(AriaRole.Button, new() { Name = "Close the account" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
                await admin.CheckStateAsync("signed-out-after-closing");

                await SignInAsStaffAsync(staff);
                await staff.GotoAsync($"admin.html#/tenant/{tenant.TenantId}");
                var summary = console.Locator("#tenant-summary");
                await Expect(summary).ToContainTextAsync("Offboarding");
                await Expect(console.Locator("#offboarding-notice")).ToContainTextAsync("purged");
                await Expect(console.Locator("#purge-after")).Not.ToBeEmptyAsync();
                await Expect(summary).ToContainTextAsync($"{tenant.AdminUserName} (Admin)");
                await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Offboard tenant" })).ToHaveCountAsync(0);
                await staff.CheckStateAsync("tenant-offboarding");

                await console.GetByRole(AriaRole.Button, new() { Name = "Cancel offboarding" }).ClickAsync();
                var cancel = console.GetByRole(AriaRole.Dialog, new() { Name = $"Cancel the offboarding of {tenant.TenantName}?" });
                await Expect(cancel).ToBeVisibleAsync();
                await staff.CheckStateAsync("cancel-offboarding-confirmation");
                await cancel.GetByRole(AriaRole.Button, new() { Name = "Cancel offboarding" }).ClickAsync();
                await Expect(console.GetByText($"The offboarding of {tenant.TenantName} is cancelled.")).ToBeVisibleAsync();
                await Expect(summary.Locator(".badge")).ToHaveTextAsync("Active");
                await Expect(console.Locator("#purge-after")).ToHaveCountAsync(0);
                await staff.CheckStateAsync("offboarding-cancelled");
                await app.SignInAsync(tenant.AdminUserName, ApiClient.NewPassword);

                // The provider offboards it again from the console, after confirming.
                await console.GetByRole(AriaRole.Button, new() { Name = "Offboard tenant" }).ClickAsync();
                await console.GetByRole(AriaRole.Dialog, new() { Name = $"Offboard {tenant.TenantName}?" })
                    .GetByRole(AriaRole.Button, new() { Name = "Offboard" }).ClickAsync();
                await Expect(console.GetByText($"{tenant.TenantName} is offboarding.")).ToBeVisibleAsync();
                await Expect(summary).ToContainTextAsync("admin (Provider staff)");
                await staff.CheckStateAsync("tenant-offboarded-by-staff");
            },
            admin,
            staff);

        admin.AssertNoProblems();
        staff.AssertNoProblems();
    }
}
