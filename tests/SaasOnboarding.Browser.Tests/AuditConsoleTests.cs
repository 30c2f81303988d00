using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The audit log in the browser: a tenant admin reads its tenant's entries in the tenant app (another tenant's
/// change is not among them) and filters them by action; the provider console reads any tenant's, filtered by
/// tenant id, and both pages pass the accessibility check.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AuditConsoleTests(BrowserApp app)
{
    static AuditConsoleTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task ATenantAdminReadsItsOwnEntriesAndTheProviderFiltersByTenant()
    {
        var tenant = await app.OnboardAndSignInAsync("Audited " + Guid.NewGuid().ToString("N")[..6]);
        var other = await app.OnboardAsync("Elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        using (var client = app.Client(other.AdminTokens.IdToken))
        {
            await (await client.PutAsJsonAsync($"/tenant/{other.TenantId}", new { tenantAddress = "Not yours" })).ShouldBe(HttpStatusCode.OK);
        }

        await using var admin = await BrowserPage.OpenAsync(app, "audit-tenant");
        await using var staff = await BrowserPage.OpenAsync(app, "audit-staff");
        var page = admin.Page;
        var console = staff.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await Nav(page, "Audit log").ClickAsync();
                var table = page.Locator("#audit-table");
                await Expect(table).ToContainTextAsync("POST /registration");
                await Expect(table).ToContainTextAsync(tenant.TenantId);
                await Expect(table).Not.ToContainTextAsync(other.TenantId);
                await page.GetByLabel("Action").FillAsync("POST /registration/");
                await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
                await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
                await Expect(table).ToContainTextAsync("anonymous");
                await admin.ScreenshotAsync("tenant-audit");
                await admin.AssertAccessibleAsync();

                await SignInAsStaffAsync(staff);
                await Nav(console, "Audit log").ClickAsync();
                await console.GetByLabel("Tenant id").FillAsync(other.TenantId);
                await console.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
                var entries = console.Locator("#audit-table");
                await Expect(entries).ToContainTextAsync("PUT /tenant/{tenantId}");
                await Expect(entries).ToContainTextAsync(other.AdminUserName);
                await Expect(entries).Not.ToContainTextAsync(tenant.TenantId);
                await staff.ScreenshotAsync("provider-audit");
                await staff.AssertAccessibleAsync();
            },
            admin,
            staff);

        admin.AssertNoProblems();
        staff.AssertNoProblems();
    }
}
