using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// "Download export" in the provider console's tenant view and in the tenant admin's company profile saves the
/// tenant's bundle (docs/export-format.md) as the file the API names; "Import a tenant" makes a tenant from it again.
/// At 1440 and at 375 px, every state passing axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ExportDownloadTests(BrowserApp app)
{
    static ExportDownloadTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task TheProviderConsoleAndTheTenantAdminDownloadTheTenantsExportAndTheConsoleImportsIt(int width)
    {
        var tenant = await app.OnboardAndSignInAsync();
        var sku = "EXP-" + Guid.NewGuid().ToString("N")[..6];
        using (var api = app.Client(tenant.AdminTokens.IdToken))
        {
            var created = await api.PostAsJsonAsync("/product", new { name = "Globe", sku, price = 30.10m, quantity = 2 });
            await created.ShouldBe(HttpStatusCode.Created);
        }

        await using var staff = await BrowserPage.OpenAsync(app, $"export-staff-{width}", BrowserPage.At(width));
        await using var admin = await BrowserPage.OpenAsync(app, $"export-admin-{width}", BrowserPage.At(width));
        string? staffBundle = null;
        string? adminBundle = null;
        string? staffFile = null;
        string? savedBundle = null;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SignInAsStaffAsync(staff);
                await staff.GotoAsync($"admin.html#/tenant/{tenant.TenantId}");
                await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = tenant.TenantName, Level = 1 })).ToBeVisibleAsync();
                var download = await staff.Page.RunAndWaitForDownloadAsync(() => staff.Page.GetByRole(AriaRole.Button, new() { Name = "Download export" }).ClickAsync());
                staffFile = download.SuggestedFilename;
                savedBundle = (await download.PathAsync())!;
                staffBundle = await File.ReadAllTextAsync(savedBundle);
                await staff.CheckStateAsync("tenant-export");

                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await admin.GotoAsync("app.html#/profile");
                await Expect(admin.Page.GetByRole(AriaRole.Heading, new() { Name = "Company profile", Level = 1 })).ToBeVisibleAsync();
                var own = await admin.Page.RunAndWaitForDownloadAsync(() => admin.Page.GetByRole(AriaRole.Button, new() { Name = "Download export" }).ClickAsync());
                adminBundle = await File.ReadAllTextAsync((await own.PathAsync())!);
                await admin.CheckStateAsync("profile-export");

                // The tenant removed (as the purge will), the console makes it again from the downloaded file.
                await app.PurgeNowAsync(tenant.TenantId);
                await GoAsync(staff, "Import a tenant");
                await staff.CheckStateAsync("import");
                await staff.Page.GetByLabel("Export bundle").SetInputFilesAsync(savedBundle);
                await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Import tenant" }).ClickAsync();
                await Expect(staff.Page.Locator("#imported")).ToContainTextAsync($"{tenant.TenantName} is imported");
                await Expect(staff.Page.Locator("#imported")).ToContainTextAsync("Products: 1, orders: 0, users: 1.");
                await staff.CheckStateAsync("tenant-imported");
                await staff.Page.GetByRole(AriaRole.Link, new() { Name = $"Open {tenant.TenantName}" }).ClickAsync();
                await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = tenant.TenantName, Level = 1 })).ToBeVisibleAsync();
            },
            staff,
            admin);

        Assert.Equal($"tenant-{tenant.TenantId}-export.jsonl", staffFile);
        foreach (var bundle in new[] { staffBundle!, adminBundle! })
        {
            var lines = bundle.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
            Assert.Equal("saas-onboarding-export", lines[0].GetProperty("format").GetString());
            Assert.Equal(tenant.TenantId, lines[0].GetProperty("tenantId").GetString());
            var product = Assert.Single(lines, line => line.TryGetProperty("type", out var type) && type.GetString() == "product");
            Assert.Equal((sku, "30.10"), (product.GetProperty("sku").GetString(), product.GetProperty("price").GetRawText()));
            Assert.Equal("end", lines[^1].GetProperty("type").GetString());
        }

        staff.AssertNoProblems();
        admin.AssertNoProblems();
    }
}
