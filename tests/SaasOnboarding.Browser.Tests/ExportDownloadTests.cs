using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// "Download export" in the provider console's tenant view and in the tenant admin's company profile saves the
/// tenant's bundle (docs/export-format.md) as the file the API names.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ExportDownloadTests(BrowserApp app)
{
    static ExportDownloadTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task TheProviderConsoleAndTheTenantAdminDownloadTheTenantsExport()
    {
        var tenant = await app.OnboardAndSignInAsync();
        var sku = "EXP-" + Guid.NewGuid().ToString("N")[..6];
        using (var api = app.Client(tenant.AdminTokens.IdToken))
        {
            var created = await api.PostAsJsonAsync("/product", new { name = "Globe", sku, price = 30.10m, quantity = 2 });
            await created.ShouldBe(HttpStatusCode.Created);
        }

        await using var staff = await BrowserPage.OpenAsync(app, "export-staff");
        await using var admin = await BrowserPage.OpenAsync(app, "export-admin");
        string? staffBundle = null;
        string? adminBundle = null;
        string? staffFile = null;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SignInAsStaffAsync(staff);
                await staff.GotoAsync($"admin.html#/tenant/{tenant.TenantId}");
                await Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = tenant.TenantName, Level = 1 })).ToBeVisibleAsync();
                var download = await staff.Page.RunAndWaitForDownloadAsync(() => staff.Page.GetByRole(AriaRole.Button, new() { Name = "Download export" }).ClickAsync());
                staffFile = download.SuggestedFilename;
                staffBundle = await File.ReadAllTextAsync((await download.PathAsync())!);
                await staff.ScreenshotAsync("tenant-export");

                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await admin.GotoAsync("app.html#/profile");
                await Expect(admin.Page.GetByRole(AriaRole.Heading, new() { Name = "Company profile", Level = 1 })).ToBeVisibleAsync();
                var own = await admin.Page.RunAndWaitForDownloadAsync(() => admin.Page.GetByRole(AriaRole.Button, new() { Name = "Download export" }).ClickAsync());
                adminBundle = await File.ReadAllTextAsync((await own.PathAsync())!);
                await admin.ScreenshotAsync("profile-export");
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
