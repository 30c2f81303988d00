using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// The purge saga and the purge service called directly, on an app of each test's own (real SQLite files, the local
/// identity provider, its ports able to fail on demand) whose clock stands still until the test moves it past the
/// retention: the claim one caller wins, what each step removes and the span it runs in, a failing step left for the
/// next pass, and one tenant's failure beside the others. The wait for the retention and the periodic pass are
/// tested through the API in <see cref="OffboardingTests"/>, a purge a crash stopped in <see cref="PurgeCrashTests"/>.
/// </summary>
public sealed class PurgeSagaTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private static readonly TimeSpan PurgeInterval = TimeSpan.FromDays(1);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("saas-purge-saga-").FullName;
    private readonly AppFactory _app;
    private readonly FaultPlan _faults;
    private readonly TelemetryCapture _telemetry;

    public PurgeSagaTests()
    {
        _app = NewApp();
        _faults = _app.EnableFaults();
        _telemetry = _app.EnableTelemetry();
    }

    private ITenantCatalog Catalog => _app.Services.GetRequiredService<ITenantCatalog>();

    private IUserDirectory Users => _app.Services.GetRequiredService<IUserDirectory>();

    private TenantAccess Access => _app.Services.GetRequiredService<TenantAccess>();

    private PurgeService Service => _app.Services.GetRequiredService<PurgeService>();

    public void Dispose()
    {
        _app.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TheClaimIsWonOnceAndNeitherTheLoserNorAClaimOfAPurgingTenantWrites()
    {
        var tenantId = await OffboardedTenantAsync();
        _clock.Advance(Retention);
        var read = await TenantAsync(tenantId);
        Assert.Equal(new TenantState(TenantStatus.Offboarding, "Basic"), await Access.GetTenantAsync(tenantId, 0, default));

        Assert.True(await ClaimAsync(read));
        var claimed = await TenantAsync(tenantId);
        Assert.Equal(TenantStatus.Purging, claimed.Status);
        Assert.True(claimed.UpdatedAt > read.UpdatedAt);

        // The claim evicts the tenant's cached status: the next request sees it purging.
        Assert.Equal(new TenantState(TenantStatus.Purging, "Basic"), await Access.GetTenantAsync(tenantId, 0, default));

        // A second caller that read the same version loses, and writes nothing.
        Assert.False(await ClaimAsync(read));
        Assert.Equal(claimed, await TenantAsync(tenantId));

        // A purge a crash stopped is the claimer's again at once, with nothing written.
        Assert.True(await ClaimAsync(claimed));
        Assert.Equal(claimed, await TenantAsync(tenantId));

        // A request while the purge runs caches the tenant purging; the purge's end evicts that too.
        Assert.Equal(TenantStatus.Purging, (await Access.GetTenantAsync(tenantId, 0, default))?.Status);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PurgeSaga>().PurgeAsync(claimed, default);
        }

        Assert.Equal(TenantStatus.Purged, (await Access.GetTenantAsync(tenantId, 0, default))?.Status);
    }

    [Fact]
    public async Task AStartFinishesTheDuePurgesOnceTheServerHasStarted()
    {
        var claimed = await OffboardedTenantAsync();
        var due = await OffboardedTenantAsync();
        _clock.Advance(Retention);
        Assert.True(await ClaimAsync(await TenantAsync(claimed)));
        _app.Dispose();

        using var restarted = NewApp();
        var catalog = restarted.Services.GetRequiredService<ITenantCatalog>();

        Assert.Equal(TenantStatus.Purged, (await catalog.GetTenantAsync(claimed, default))?.Status);
        Assert.Equal(TenantStatus.Purged, (await catalog.GetTenantAsync(due, default))?.Status);
    }

    [Fact]
    public async Task APeriodicPassThatFailsIsLoggedAndTheNextOneStillPurges()
    {
        var tenantId = await OffboardedTenantAsync();
        _clock.Advance(Retention);
        // The purge's listing (of offboarding tenants), not the audit retention's, which the same move of the clock runs.
        _faults.Arm(nameof(ITenantCatalog.ListTenantsAsync), FaultTiming.Before, args => args.Contains(TenantStatus.Offboarding));

        _clock.Advance(PurgeInterval);
        await WaitUntilAsync(() => Task.FromResult(_app.Logs.Lines.Any(line => line.Contains("A purge pass failed", StringComparison.Ordinal))));
        Assert.Equal(TenantStatus.Offboarding, (await TenantAsync(tenantId)).Status);

        _clock.Advance(PurgeInterval);
        await WaitUntilAsync(async () => (await TenantAsync(tenantId)).Status == TenantStatus.Purged);
    }

    [Fact]
    public async Task ATenantWithinItsRetentionIsNeitherClaimedNorPurgedUntilItIsDue()
    {
        var tenantId = await OffboardedTenantAsync();
        _clock.Advance(Retention - TimeSpan.FromSeconds(1));
        var read = await TenantAsync(tenantId);

        Assert.False(await ClaimAsync(read));
        Assert.Equal(0, await Service.PurgeDueAsync(default));
        Assert.Equal(read, await TenantAsync(tenantId));
        AssertDatabase(tenantId, present: true);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Service.PurgeDueAsync(default));
        Assert.Equal(TenantStatus.Purged, (await TenantAsync(tenantId)).Status);
    }

    [Fact]
    public async Task EachStepRemovesItsPartInASpanOfItsOwnAndTheCachesForgetTheTenantAndItsUsers()
    {
        var registered = await _app.RegisterAsync("Purged " + Guid.NewGuid().ToString("N")[..10], "Premium");
        var tenantId = registered.TenantId;

        // A member the mappings do not name, and a user the mappings name who was taken out of the group by hand.
        var member = "member-" + tenantId[..8];
        var mapped = "mapped-" + tenantId[..8];
        foreach (var user in new[] { member, mapped })
        {
            await Users.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(user, user + "@example.com", tenantId, "TenantUser"), default);
        }

        await Users.AddUserToGroupAsync(UserPool.Tenant, member, tenantId, default);
        await Catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId, mapped, Enabled: true), default);
        await OffboardAsync(tenantId);
        _clock.Advance(Retention);

        // Cached as a request would have cached them: the purge must evict them.
        Assert.Equal(TenantStatus.Offboarding, (await Access.GetTenantAsync(tenantId, 0, default))?.Status);
        Assert.NotNull(await Access.GetCallerAsync(UserPool.Tenant, registered.TenantAdminUserName, 0, default));
        Assert.NotNull(await Access.GetCallerAsync(UserPool.Tenant, mapped, 0, default));

        Assert.Equal(1, await Service.PurgeDueAsync(default));

        AssertDatabase(tenantId, present: false);
        foreach (var user in new[] { registered.TenantAdminUserName, member, mapped })
        {
            Assert.Null(await Users.GetUserAsync(UserPool.Tenant, user, default));
            Assert.Null(await Catalog.GetTenantUserAsync(user, default));
        }

        var group = await Assert.ThrowsAsync<DirectoryException>(() => Users.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default));
        Assert.Equal(DirectoryError.GroupNotFound, group.Error);
        Assert.Equal(TenantStatus.Purged, (await TenantAsync(tenantId)).Status);
        Assert.Equal(new TenantState(TenantStatus.Purged, "Premium"), await Access.GetTenantAsync(tenantId, 0, default));
        Assert.Null(await Access.GetCallerAsync(UserPool.Tenant, registered.TenantAdminUserName, 0, default));
        Assert.Null(await Access.GetCallerAsync(UserPool.Tenant, mapped, 0, default));

        var spans = StepSpans(tenantId);
        Assert.Equal(["purge database", "purge users", "purge group", "purge tombstone"], spans.Select(span => span.DisplayName));
        Assert.All(spans, span =>
        {
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Equal("Premium", span.GetTagItem("tenant.tier"));
            Assert.Equal(PurgeSaga.Saga, span.GetTagItem("saga.name"));
            Assert.Equal(span.DisplayName["purge ".Length..], span.GetTagItem("saga.step"));
        });
        Assert.Single(_app.Logs.Lines, line => line.Contains($"Purged tenant {tenantId}: child database and 3 users removed", StringComparison.Ordinal));

        // The purge (as this test's offboarding) runs outside any request: its audit entry names the app as the
        // actor and the purge as the action, newest first.
        var entries = (await Catalog.ListAuditAsync(new AuditQuery(tenantId, Actor: ChangeRecords.System), 10, null, default)).Items;
        Assert.Equal(["purge", "offboarding"], entries.Select(entry => entry.Action));
        Assert.Equal((tenantId, AuditOutcomes.Succeeded), (entries[0].Target, entries[0].Outcome));
    }

    [Fact]
    public async Task AStepThatFailsLeavesTheTenantPurgingWithAnErrorSpanAndTheNextPassFinishesIt()
    {
        var registered = await _app.RegisterAsync("Halfway " + Guid.NewGuid().ToString("N")[..10]);
        var tenantId = registered.TenantId;
        await OffboardAsync(tenantId);
        _clock.Advance(Retention);
        _faults.Arm(nameof(IUserDirectory.DeleteGroupAsync), FaultTiming.Before);

        Assert.Equal(0, await Service.PurgeDueAsync(default));

        // The steps before the group's ran; the mappings left until the tombstone stay disabled.
        Assert.Equal(TenantStatus.Purging, (await TenantAsync(tenantId)).Status);
        AssertDatabase(tenantId, present: false);
        Assert.Null(await Users.GetUserAsync(UserPool.Tenant, registered.TenantAdminUserName, default));
        Assert.Equal(new TenantUserMapping(tenantId, registered.TenantAdminUserName, Enabled: false), await Catalog.GetTenantUserAsync(registered.TenantAdminUserName, default));
        Assert.Single(_app.Logs.Lines, line => line.Contains($"Purging tenant {tenantId} failed; the next pass tries again", StringComparison.Ordinal));

        var failed = StepSpans(tenantId);
        Assert.Equal(["purge database", "purge users", "purge group"], failed.Select(span => span.DisplayName));
        Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Unset, ActivityStatusCode.Error], failed.Select(span => span.Status));
        Assert.Equal(typeof(InjectedFaultException).FullName, failed[^1].StatusDescription);

        Assert.Equal(1, await Service.PurgeDueAsync(default));
        Assert.Equal(TenantStatus.Purged, (await TenantAsync(tenantId)).Status);
        Assert.Null(await Catalog.GetTenantUserAsync(registered.TenantAdminUserName, default));
        var group = await Assert.ThrowsAsync<DirectoryException>(() => Users.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default));
        Assert.Equal(DirectoryError.GroupNotFound, group.Error);
        Assert.Equal(
            ["purge database", "purge users", "purge group", "purge tombstone"],
            StepSpans(tenantId).Skip(failed.Count).Select(span => span.DisplayName));
    }

    [Fact]
    public async Task OneTenantsFailingPurgeDoesNotStopThePassForTheOthers()
    {
        var first = await OffboardedTenantAsync();
        var second = await OffboardedTenantAsync();
        _clock.Advance(Retention);
        _faults.Arm(nameof(ITenantDatabases.DeleteAsync), FaultTiming.Before);

        Assert.Equal(1, await Service.PurgeDueAsync(default));

        var statuses = new Dictionary<string, TenantStatus> { [first] = (await TenantAsync(first)).Status, [second] = (await TenantAsync(second)).Status };
        Assert.Single(statuses, status => status.Value == TenantStatus.Purged);
        var failed = Assert.Single(statuses, status => status.Value == TenantStatus.Purging).Key;
        AssertDatabase(failed, present: true);

        Assert.Equal(1, await Service.PurgeDueAsync(default));
        Assert.Equal(TenantStatus.Purged, (await TenantAsync(failed)).Status);
        AssertDatabase(failed, present: false);
        Assert.Equal(0, await Service.PurgeDueAsync(default));
    }

    /// <summary>An app on this test's data directory and clock.</summary>
    private AppFactory NewApp() => new(
        _directory,
        new Dictionary<string, string?>
        {
            ["Offboarding:Retention"] = "01:00:00",

            // The periodic pass runs only when a test moves the clock a whole interval; every other pass is the test's own call.
            ["Offboarding:PurgeInterval"] = "1.00:00:00",

            // Cache entries outlive the test, so that only an eviction by the saga makes the next read see a change.
            ["Tenancy:StatusCacheDuration"] = "1.00:00:00",
        },
        services => services.AddSingleton<TimeProvider>(_clock));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private async Task<string> OffboardedTenantAsync()
    {
        var registered = await _app.RegisterAsync("Leaving " + Guid.NewGuid().ToString("N")[..10]);
        await OffboardAsync(registered.TenantId);
        return registered.TenantId;
    }

    private async Task OffboardAsync(string tenantId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<TenantLifecycle>().StartOffboardingAsync(tenantId, "admin", "SystemAdmin", null, default);
        Assert.Equal(TenantUpdateOutcome.Updated, started.Outcome);
    }

    /// <summary>A claim by a saga of its own, as another request or instance would make it.</summary>
    private async Task<bool> ClaimAsync(Tenant tenant)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PurgeSaga>().ClaimAsync(tenant, default);
    }

    private async Task<Tenant> TenantAsync(string tenantId) =>
        await Catalog.GetTenantAsync(tenantId, default) ?? throw new InvalidOperationException($"No tenant {tenantId}.");

    /// <summary>The purge's step spans of the tenant, in the order they started (the source is shared by every app of the process).</summary>
    private List<Activity> StepSpans(string tenantId) => _telemetry.Spans
        .Where(span => span.DisplayName.StartsWith(PurgeSaga.Saga + " ", StringComparison.Ordinal) && (string?)span.GetTagItem("tenant.id") == tenantId)
        .OrderBy(span => span.StartTimeUtc)
        .ToList();

    /// <summary>The tenant's SQLite file (and its -wal and -shm) is there, or gone.</summary>
    private void AssertDatabase(string tenantId, bool present)
    {
        SqliteConnection.ClearAllPools();
        var files = System.IO.Directory.GetFiles(_directory, $"tenant_{tenantId}*");
        Assert.Equal(present, files.Any(file => file.EndsWith(".db", StringComparison.Ordinal)));
        if (!present)
        {
            Assert.Empty(files);
        }
    }
}
