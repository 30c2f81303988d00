using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The audit log in the browser, at a wide screen's width and a phone's: a tenant admin reads its tenant's entries in
/// the tenant app, its products' changes among them (another tenant's change is not), and filters them by an action
/// chosen in words; the provider console reads any tenant's, filtered by company id. Actions, actors, pools and
/// outcomes are words people read, never a route or a protocol word, and every state passes axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AuditConsoleTests(BrowserApp app)
{
    /// <summary>What the page must never show: route patterns, methods, outcome codes and pool names as the API spells them.</summary>
    private static readonly string[] ProtocolWords = ["POST /", "PUT /", "DELETE /", "{tenantId}", "{id}", "succeeded", "anonymous", "Operations", "locked-out"];

    static AuditConsoleTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task ATenantAdminReadsItsOwnEntriesInWordsAndTheProviderFiltersByCompany(int width)
    {
        var tenant = await app.OnboardAndSignInAsync("Audited " + Guid.NewGuid().ToString("N")[..6]);
        var other = await app.OnboardAsync("Elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        using (var client = app.Client(other.AdminTokens.IdToken))
        {
            await (await client.PutAsJsonAsync($"/tenant/{other.TenantId}", new { tenantAddress = "Not yours" })).ShouldBe(HttpStatusCode.OK);
        }

        using (var client = app.Client((await app.SystemAdminAsync()).IdToken))
        {
            await (await client.PutAsJsonAsync($"/tenant/{other.TenantId}", new { tenantTier = "Premium" })).ShouldBe(HttpStatusCode.OK);
        }

        using (var client = app.Client(tenant.AdminTokens.IdToken))
        {
            await (await client.PostAsJsonAsync("/product", new { name = "Audited lamp", sku = "AUD-" + width, price = 12.5m, quantity = 3 })).ShouldBe(HttpStatusCode.Created);
        }

        using (var anonymous = app.CreateClient())
        {
            await anonymous.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Not-the-Passw0rd!" });
        }

        await using var admin = await BrowserPage.OpenAsync(app, $"audit-tenant-{width}", BrowserPage.At(width));
        await using var staff = await BrowserPage.OpenAsync(app, $"audit-staff-{width}", BrowserPage.At(width));
        var page = admin.Page;
        var console = staff.Page;

        async Task AssertInWordsAsync(BrowserPage browser)
        {
            foreach (var word in ProtocolWords)
            {
                await Expect(browser.Page.Locator("main")).Not.ToContainTextAsync(word);
            }

            await browser.AssertAccessibleAsync();
        }

        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await GoAsync(admin, "Audit log");
                var table = page.Locator("#audit-table");
                await Expect(table).ToContainTextAsync("Signed up a company");
                await Expect(table).ToContainTextAsync("Added a product");
                await Expect(table).ToContainTextAsync("Someone not signed in");
                await Expect(table).ToContainTextAsync("Refused");
                await Expect(table).ToContainTextAsync("Company user");
                await Expect(table).Not.ToContainTextAsync(other.TenantId);
                await AssertInWordsAsync(admin);

                await page.GetByLabel("Action").SelectOptionAsync(new SelectOptionValue { Label = "Added a product" });
                await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
                await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
                await Expect(table).ToContainTextAsync(tenant.AdminUserName);
                await Expect(table).ToContainTextAsync("Done");
                await admin.ScreenshotAsync($"tenant-audit-{width}");
                await AssertInWordsAsync(admin);

                await page.GetByLabel("Action").SelectOptionAsync(new SelectOptionValue { Label = "Signed in" });
                await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
                await Expect(table).ToContainTextAsync("Refused");
                await Expect(table).Not.ToContainTextAsync("Added a product");
                await AssertInWordsAsync(admin);

                await SignInAsStaffAsync(staff);
                await GoAsync(staff, "Audit log");
                await Expect(console.Locator("#audit-table")).ToBeVisibleAsync();
                await AssertInWordsAsync(staff);
                await console.GetByLabel("Company id").FillAsync(other.TenantId);
                await console.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
                var entries = console.Locator("#audit-table");
                await Expect(entries).ToContainTextAsync("Changed the company's details");
                await Expect(entries).ToContainTextAsync("Provider staff");
                await Expect(entries).ToContainTextAsync(other.AdminUserName);
                await Expect(entries).Not.ToContainTextAsync(tenant.TenantId);
                await staff.DocumentScreenshotAsync(staff.DocumentPrefix + "audit");
                await AssertInWordsAsync(staff);
            },
            admin,
            staff);

        admin.AssertNoProblems();
        staff.AssertNoProblems();
    }
}
