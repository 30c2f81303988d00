using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// The process is killed (SIGKILL) while it purges offboarded tenants; once the purge lease it held expires, the next
/// process finishes every purge, and nothing of a purged tenant is left: no file, group, user or mapping, and no orphan of any tenant.
/// </summary>
[Collection(LoadTests.Name)]
public sealed class PurgeCrashTests : IDisposable
{
    private const int Tenants = 30;

    /// <summary>
    /// No retention: an offboarded tenant is due at once, and the service's pass every second purges it. The purge
    /// lease the killed process held mid-pass expires two seconds after its last renewal.
    /// </summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Offboarding:Retention"] = "00:00:00",
        ["Offboarding:PurgeInterval"] = "00:00:01",
        ["Leases:Duration"] = "00:00:02",
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("saas-purge-crash-").FullName;

    [Fact]
    public async Task KillDuringPurgesLeavesNoHalfPurgedTenantOrOrphanAfterRestart()
    {
        var kept = new List<string>();
        var offboarded = new List<string>();
        var interrupted = 0;
        for (var attempt = 0; attempt < 3 && interrupted == 0; attempt++)
        {
            using (var app = await ChildApp.StartAsync(_directory, Settings))
            {
                kept.Add(await RegisterAsync(app));
                var batch = new List<string>();
                for (var i = 0; i < Tenants; i++)
                {
                    batch.Add(await RegisterAsync(app));
                }

                await OffboardThenKillAsync(app, batch);
                offboarded.AddRange(batch);
            }

            // A purge in flight: claimed (purging) and not yet a tombstone.
            SqliteConnection.ClearAllPools();
            interrupted = Count("SELECT count(*) FROM tenant WHERE status = 'Purging'");
        }

        Assert.True(interrupted > 0, "The kill never caught a purge in flight; the test proved nothing.");
        var waiting = Count("SELECT count(*) FROM tenant WHERE status = 'Offboarding'");

        // The next start: the purge lease the killed process held expires, and the restarted one's next pass takes it.
        using (var restarted = await ChildApp.StartAsync(_directory, Settings))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!timeout.IsCancellationRequested && Count("SELECT count(*) FROM tenant WHERE status IN ('Purging', 'Offboarding')") > 0)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }

        SqliteConnection.ClearAllPools();
        var catalog = Path.Combine(_directory, "catalog.db");
        Assert.Equal(0, Count("SELECT count(*) FROM tenant WHERE status IN ('Purging', 'Offboarding')"));
        Assert.Equal(offboarded.Order(), SqliteQueries.Strings(catalog, "SELECT id FROM tenant WHERE status = 'Purged'").Order());
        Assert.Equal(kept.Order(), SqliteQueries.Strings(catalog, "SELECT id FROM tenant WHERE status = 'Active'").Order());

        // No orphans: every child database, group, user and mapping belongs to a tenant that is not purged, and back.
        var files = Directory.GetFiles(_directory, "tenant_*").Select(Path.GetFileName).ToList();
        Assert.Equal(kept.Order(), files.Where(file => file!.EndsWith(".db", StringComparison.Ordinal)).Select(file => file![7..39]).Order());
        Assert.All(files, file => Assert.Contains(file![7..39], kept));
        var identity = Path.Combine(_directory, "local-idp.db");
        Assert.Equal(kept.Order(), SqliteQueries.Strings(identity, "SELECT group_name FROM user_group WHERE pool = 'Tenant'").Order());
        Assert.Equal(kept.Select(id => "tenant-admin-" + id).Order(), SqliteQueries.Strings(identity, "SELECT user_name FROM user WHERE pool = 'Tenant'").Order());
        Assert.Equal(kept.Select(id => "tenant-admin-" + id).Order(), SqliteQueries.Strings(catalog, "SELECT user_name FROM tenant_user").Order());

        TestFigures.Write("purge-crash", new { offboardedTenants = offboarded.Count, purgingAtKill = interrupted, offboardingAtKill = waiting, unfinishedAfterRestart = 0, orphansAfterRestart = 0 });
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<string> RegisterAsync(ChildApp app)
    {
        using var client = app.Client();
        var response = await client.PostAsJsonAsync("/registration", new { tenantName = "Leaving " + Guid.NewGuid().ToString("N")[..12], tenantEmail = "l@example.com", tenantTier = "Basic" });
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString()!;
    }

    /// <summary>Offboards every tenant of the batch, then kills the process at the first moment a purge is under way.</summary>
    private async Task OffboardThenKillAsync(ChildApp app, List<string> batch)
    {
        using var client = app.Client();
        var signIn = await client.PostAsJsonAsync("/auth/signin", new { userName = "admin", password = AppFactory.AdminPassword, pool = "operations" });
        await signIn.ShouldBe(HttpStatusCode.OK);
        client.WithToken((await signIn.Content.ReadFromJsonAsync<Tokens>())!.IdToken);
        foreach (var tenantId in batch)
        {
            await (await client.PostAsync($"/tenant/{tenantId}/offboarding", null)).ShouldBe(HttpStatusCode.OK);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!timeout.IsCancellationRequested && Count("SELECT count(*) FROM tenant WHERE status = 'Purging'") == 0)
        {
            await Task.Delay(2, CancellationToken.None);
        }

        app.Kill();
    }

    private int Count(string sql) => SqliteQueries.Count(Path.Combine(_directory, "catalog.db"), sql);
}
