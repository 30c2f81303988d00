using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Tests.Registration;

/// <summary>The process is killed in the middle of registrations under load; the next start leaves nothing half-made.</summary>
[Collection(LoadTests.Name)]
public sealed class RegistrationCrashTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-crash-").FullName;

    [Fact]
    public async Task KillDuringRegistrationsUnderLoadLeavesNoProvisioningTenantOrOrphanAfterRestart()
    {
        var interrupted = 0;
        var completed = 0;
        for (var attempt = 0; attempt < 3 && interrupted == 0; attempt++)
        {
            using (var app = await ChildApp.StartAsync(_directory))
            {
                completed += await LoadThenKillAsync(app);
            }

            interrupted = Count("SELECT count(*) FROM onboarding_journal");
        }

        Assert.True(interrupted > 0, "The kill never caught a registration in flight; the test proved nothing.");

        // The next start: the reconciler's first pass runs once the server has started (Hosting:BackgroundPassesDelay).
        using (var restarted = await ChildApp.StartAsync(_directory, new Dictionary<string, string> { ["Registration:AbandonAfter"] = "00:00:00" }))
        {
            using var client = restarted.Client();
            var retry = await client.PostAsJsonAsync("/registration", new { tenantName = "After the crash", tenantEmail = "a@example.com", tenantTier = "Basic" });
            await retry.ShouldBe(HttpStatusCode.Created);
            await WebhookReceiver.WaitUntilAsync(() => Count("SELECT count(*) FROM onboarding_journal") == 0, "the reconciler's first pass after the restart");
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(0, Count("SELECT count(*) FROM tenant WHERE status = 'Provisioning'"));
        Assert.Equal(0, Count("SELECT count(*) FROM onboarding_journal"));
        var tenants = SqliteQueries.Strings(Path.Combine(_directory, "catalog.db"), "SELECT id FROM tenant");
        Assert.True(tenants.Count >= completed + 1, $"{tenants.Count} tenants for {completed} completed registrations");

        // No orphans: every child database, group, user and mapping belongs to a tenant that exists, and back.
        var files = Directory.GetFiles(_directory, "tenant_*").Select(Path.GetFileName).ToList();
        Assert.All(files, file => Assert.Matches("^tenant_[0-9a-f]{32}\\.db(-wal|-shm)?$", file));
        Assert.Equal(tenants.Order(), files.Where(file => file!.EndsWith(".db", StringComparison.Ordinal)).Select(file => file![7..39]).Order());
        var identity = Path.Combine(_directory, "local-idp.db");
        Assert.Equal(tenants.Order(), SqliteQueries.Strings(identity, "SELECT group_name FROM user_group WHERE pool = 'Tenant'").Order());
        Assert.Equal(tenants.Select(id => "tenant-admin-" + id).Order(), SqliteQueries.Strings(identity, "SELECT user_name FROM user WHERE pool = 'Tenant'").Order());
        Assert.Equal(tenants.Select(id => "tenant-admin-" + id).Order(), SqliteQueries.Strings(Path.Combine(_directory, "catalog.db"), "SELECT user_name FROM tenant_user").Order());

        TestFigures.Write("crash", new { interruptedRegistrations = interrupted, completedBeforeKill = completed, provisioningAfterRestart = 0, orphansAfterRestart = 0 });
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Keeps 16 registrations in flight and kills the process once 20 have completed.</summary>
    private static async Task<int> LoadThenKillAsync(ChildApp app)
    {
        using var client = app.Client();
        var completed = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var workers = Enumerable.Range(0, 16).Select(async worker =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 200; i++)
            {
                try
                {
                    var response = await client.PostAsJsonAsync("/registration", new { tenantName = $"Load {worker} {i} {Guid.NewGuid():N}"[..40], tenantEmail = "l@example.com", tenantTier = "Basic" }, stop.Token);
                    if (response.StatusCode == HttpStatusCode.Created && Interlocked.Increment(ref completed) == 20)
                    {
                        app.Kill();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    return;
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        app.Kill();
        return completed;
    }

    private int Count(string sql) => SqliteQueries.Count(Path.Combine(_directory, "catalog.db"), sql);
}
