using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Stores.Tests.Embedded;

/// <summary>
/// The app started on a data directory with no versions recorded (catalog.db, local-idp.db and a tenant file at
/// version 1: the tenant file without the case-blind SKU index, local-idp.db without the reset codes): it upgrades
/// the catalog and the identity store before it serves, upgrades the tenant's file at its first request, and every
/// user, tenant and product is still there.
/// </summary>
public sealed class SqliteUpgradeOnStartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-upgrade-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AnAppStartedOnThePreviousVersionsFilesUpgradesThemAndKeepsEverything()
    {
        // The first app stays undisposed until the end: IdentityModel caches signature providers by key id for the
        // process, and a disposed first app would leave the second (same key file, same kid) a disposed RSA key.
        using var before = new AppFactory(_directory);
        var tenant = await before.OnboardAndSignInAsync();
        using (var admin = before.Client(tenant.AdminTokens.IdToken))
        {
            await (await admin.PostAsJsonAsync("/product", new { name = "Pen", sku = "PEN-1", price = 1.5m, quantity = 7 })).ShouldBe(HttpStatusCode.Created);
        }

        // Back to version-1 files with no version recorded: no versions, no case-blind index, no offboarding columns,
        // no reset codes.
        var catalog = Path.Combine(_directory, "catalog.db");
        var identity = Path.Combine(_directory, "local-idp.db");
        var tenantFile = Path.Combine(_directory, $"tenant_{tenant.TenantId}.db");
        await SqliteFiles.ExecuteAsync(
            catalog,
            """
            DROP INDEX tenant_by_status;
            ALTER TABLE tenant DROP COLUMN offboarding_started_at;
            ALTER TABLE tenant DROP COLUMN purge_after;
            ALTER TABLE tenant DROP COLUMN offboarded_by;
            ALTER TABLE tenant DROP COLUMN offboarded_by_role;
            ALTER TABLE tenant DROP COLUMN status_before_offboarding;
            PRAGMA user_version = 0;
            """);
        await SqliteFiles.ExecuteAsync(identity, "DROP TABLE password_reset_code; PRAGMA user_version = 0");
        await SqliteFiles.ExecuteAsync(tenantFile, "DROP INDEX product_sku_folded; PRAGMA user_version = 0");

        using var after = new AppFactory(_directory);
        var tokens = await after.SignInAsync(tenant.AdminUserName, ApiClient.NewPassword);

        Assert.Equal(SqliteTenantCatalog.Migrations.Latest, await SqliteFiles.UserVersionAsync(catalog));
        Assert.Equal(LocalIdentityDatabase.Migrations.Latest, await SqliteFiles.UserVersionAsync(identity));
        Assert.Contains("table password_reset_code:", await SqliteFiles.SchemaAsync(identity), StringComparison.Ordinal);
        Assert.Equal(0, await SqliteFiles.UserVersionAsync(tenantFile));

        using var client = after.Client(tokens.IdToken);
        var response = await client.GetAsync("/products");
        await response.ShouldBe(HttpStatusCode.OK);
        var products = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("PEN-1", products.GetProperty("items")[0].GetProperty("sku").GetString());
        Assert.Equal(SqliteTenantDatabases.Migrations.Latest, await SqliteFiles.UserVersionAsync(tenantFile));
        Assert.True(await SqliteFiles.HasIndexAsync(tenantFile, "product_sku_folded"));
        await (await client.PostAsJsonAsync("/product", new { name = "Pen", sku = "pen-1", price = 1m, quantity = 1 })).ShouldBeProblem(HttpStatusCode.Conflict);
    }
}
