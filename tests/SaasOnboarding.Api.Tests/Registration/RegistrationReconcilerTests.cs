using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Registration;

public sealed class RegistrationReconcilerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-reconcile-").FullName;

    [Fact]
    public async Task RegistrationLeftInProvisioningByACrashIsUndoneAtTheNextStart()
    {
        string crashedId;
        string finishedId;
        using (var before = new AppFactory(_directory))
        {
            _ = before.Services;
            crashedId = await LeaveCrashedRegistrationAsync(before.Services, TimeSpan.FromMinutes(5));
            finishedId = await LeaveFinishedRegistrationWithJournalAsync(before.Services);
        }

        using var after = new AppFactory(_directory);
        var catalog = after.Services.GetRequiredService<ITenantCatalog>();
        var directory = after.Services.GetRequiredService<IUserDirectory>();

        // The crashed one: gone, every part of it.
        Assert.Null(await catalog.GetTenantAsync(crashedId, default));
        Assert.Empty(Directory.GetFiles(_directory, $"tenant_{crashedId}*"));
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, "tenant-admin-" + crashedId, default));
        Assert.Null(await catalog.GetTenantUserAsync("tenant-admin-" + crashedId, default));
        await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, crashedId, 10, null, default));

        // The finished one only lost its journal's removal: it stays, active.
        Assert.Equal(TenantStatus.Active, (await catalog.GetTenantAsync(finishedId, default))?.Status);
        Assert.True(File.Exists(Path.Combine(_directory, $"tenant_{finishedId}.db")));
        Assert.Empty(await catalog.ListJournalsAsync(default));
    }

    [Fact]
    public async Task AnImportLeftHalfWayByACrashIsUndoneAtTheNextStartUsersOutsideTheGroupIncluded()
    {
        string crashedId;
        using (var before = new AppFactory(_directory))
        {
            var services = before.Services;
            var catalog = services.GetRequiredService<ITenantCatalog>();
            var directory = services.GetRequiredService<IUserDirectory>();
            crashedId = TenantIds.New();
            var at = DateTimeOffset.UtcNow.AddMinutes(-5);
            string[] steps = [.. RegistrationSteps.ImportInOrder.Take(RegistrationSteps.ImportInOrder.Count - 1)];
            await catalog.WriteJournalAsync(new OnboardingJournal(crashedId, "Imported " + crashedId[..6], "dead-instance", steps, at), default);
            Assert.True(await catalog.TryInsertTenantAsync(new Tenant(crashedId, "Imported " + crashedId[..6], "i@example.com", null, null, "Basic", TenantStatus.Provisioning, at, at), default));
            var databases = services.GetRequiredService<ITenantDatabases>();
            await databases.CreateAsync(crashedId, default);
            await databases.Open(crashedId).ImportAsync([new Product("p1", "Pen", null, "PEN", 1m, 1, 0, at, at)], [], default);
            await directory.CreateGroupAsync(UserPool.Tenant, crashedId, default);
            foreach (var userName in new[] { "tenant-admin-" + crashedId, "clerk-" + crashedId[..8], "stray-" + crashedId[..8] })
            {
                await directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(userName, "i@example.com", crashedId, Roles.TenantUser), default);
                await catalog.UpsertTenantUserAsync(new TenantUserMapping(crashedId, userName, Enabled: true), default);
            }

            // The crash came between the stray user's creation and its membership: it is in the pool, not the group.
            await directory.AddUserToGroupAsync(UserPool.Tenant, "tenant-admin-" + crashedId, crashedId, default);
            await directory.AddUserToGroupAsync(UserPool.Tenant, "clerk-" + crashedId[..8], crashedId, default);
        }

        using var after = new AppFactory(_directory);
        var afterCatalog = after.Services.GetRequiredService<ITenantCatalog>();
        var afterDirectory = after.Services.GetRequiredService<IUserDirectory>();

        Assert.Null(await afterCatalog.GetTenantAsync(crashedId, default));
        Assert.Empty(Directory.GetFiles(_directory, $"tenant_{crashedId}*"));
        foreach (var userName in new[] { "tenant-admin-" + crashedId, "clerk-" + crashedId[..8], "stray-" + crashedId[..8] })
        {
            Assert.Null(await afterDirectory.GetUserAsync(UserPool.Tenant, userName, default));
            Assert.Null(await afterCatalog.GetTenantUserAsync(userName, default));
        }

        await Assert.ThrowsAsync<DirectoryException>(() => afterDirectory.ListUsersInGroupAsync(UserPool.Tenant, crashedId, 10, null, default));
        Assert.Empty(await afterCatalog.ListJournalsAsync(default));
    }

    [Fact]
    public async Task RecentRegistrationOfAnotherInstanceIsLeftAlone()
    {
        var settings = new Dictionary<string, string?> { ["Registration:AbandonAfter"] = "01:00:00" };
        string inFlightId;
        using (var before = new AppFactory(_directory, settings))
        {
            inFlightId = await LeaveCrashedRegistrationAsync(before.Services, TimeSpan.Zero);
        }

        using var after = new AppFactory(_directory, settings);
        var catalog = after.Services.GetRequiredService<ITenantCatalog>();
        Assert.Equal(TenantStatus.Provisioning, (await catalog.GetTenantAsync(inFlightId, default))?.Status);
        Assert.Single(await catalog.ListJournalsAsync(default));

        // Once it is old enough, a pass undoes it.
        var reconciler = new RegistrationReconciler(
            catalog,
            after.Services.GetRequiredService<RegistrationCompensation>(),
            new InstanceIdentity(),
            Lease(catalog, TimeProvider.System),
            Microsoft.Extensions.Options.Options.Create(new RegistrationOptions { AbandonAfter = TimeSpan.Zero }),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RegistrationReconciler>.Instance);
        Assert.Equal(1, await reconciler.ReconcileAsync(default));
        Assert.Null(await catalog.GetTenantAsync(inFlightId, default));
    }

    [Fact]
    public async Task AJournalWhoseUndoFailsDoesNotStopThePassAndTheNextPassFinishesIt()
    {
        using var app = new AppFactory(_directory, OwnPassesOnlyAtStart);
        var real = app.Services.GetRequiredService<ITenantCatalog>();
        var failing = await LeaveCrashedRegistrationAsync(app.Services, TimeSpan.FromHours(2));
        var other = await LeaveCrashedRegistrationAsync(app.Services, TimeSpan.FromHours(2));
        var storeAnswers = false;
        var catalog = PortHook.Wrap(real, (method, args, call) =>
            !storeAnswers && method == nameof(ITenantCatalog.DeleteTenantAsync) && (string)args[0]! == failing
                ? throw new TimeoutException("The store did not answer.")
                : call());
        var reconciler = Reconciler(app, catalog, TimeSpan.FromMinutes(1), TimeProvider.System);

        Assert.Equal(1, await reconciler.ReconcileAsync(default));
        Assert.Null(await real.GetTenantAsync(other, default));
        Assert.Equal(failing, Assert.Single(await real.ListJournalsAsync(default)).TenantId);
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Reconciling the registration of tenant {failing} failed; will retry", StringComparison.Ordinal));

        storeAnswers = true;
        Assert.Equal(1, await reconciler.ReconcileAsync(default));
        Assert.Null(await real.GetTenantAsync(failing, default));
        Assert.Empty(await real.ListJournalsAsync(default));
    }

    [Fact]
    public async Task ACancelledPassStopsAtOnceInsteadOfTreatingTheCancellationAsAFailedUndo()
    {
        using var app = new AppFactory(_directory, OwnPassesOnlyAtStart);
        var real = app.Services.GetRequiredService<ITenantCatalog>();
        await LeaveCrashedRegistrationAsync(app.Services, TimeSpan.FromHours(2));
        await LeaveCrashedRegistrationAsync(app.Services, TimeSpan.FromHours(2));
        using var stopping = new CancellationTokenSource();
        var reads = 0;
        var catalog = PortHook.Wrap(real, (method, _, call) =>
        {
            if (method != nameof(ITenantCatalog.GetTenantAsync))
            {
                return call();
            }

            reads++;
            stopping.Cancel();
            throw new OperationCanceledException(stopping.Token);
        });
        var reconciler = Reconciler(app, catalog, TimeSpan.FromMinutes(1), TimeProvider.System);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reconciler.ReconcileAsync(stopping.Token));

        Assert.Equal(1, reads);
        Assert.Equal(2, (await real.ListJournalsAsync(default)).Count);
    }

    [Fact]
    public async Task LaterPassesUndoARegistrationAbandonedAfterStartEvenAfterAPassThatFailed()
    {
        using var app = new AppFactory(_directory, OwnPassesOnlyAtStart);
        var real = app.Services.GetRequiredService<ITenantCatalog>();
        var clock = new ManualClock();

        // Recent at start: the first pass leaves it alone.
        var crashed = await LeaveCrashedRegistrationAsync(app.Services, TimeSpan.Zero);
        var listings = 0;
        var catalog = PortHook.Wrap(real, (method, _, call) =>
            method == nameof(ITenantCatalog.ListJournalsAsync) && Interlocked.Increment(ref listings) == 2
                ? throw new TimeoutException("The store did not answer.")
                : call());
        using var reconciler = Reconciler(app, catalog, TimeSpan.FromMilliseconds(20), clock);
        await reconciler.StartAsync(default);
        Assert.Equal(TenantStatus.Provisioning, (await real.GetTenantAsync(crashed, default))?.Status);

        // Abandoned from now on; the second pass fails as a whole, a later one undoes it. The undo removes the
        // journal after the tenant, so the wait is for both: stopping in between would leave the journal to a later pass.
        clock.Advance(TimeSpan.FromHours(2));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await real.GetTenantAsync(crashed, default) is not null || (await real.ListJournalsAsync(default)).Count > 0)
            && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        await reconciler.StopAsync(default);
        Assert.Null(await real.GetTenantAsync(crashed, default));
        Assert.Empty(await real.ListJournalsAsync(default));
        Assert.True(Volatile.Read(ref listings) >= 3);
        Assert.True(reconciler.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Contains(app.Logs.Lines, line => line.Contains("A reconciliation pass failed", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The app's own reconciler passes only at start, before the test leaves its registrations.</summary>
    private static Dictionary<string, string?> OwnPassesOnlyAtStart => new() { ["Registration:ReconcileInterval"] = "1.00:00:00" };

    /// <summary>Another instance's reconciler (it leaves no journal of its own), over <paramref name="catalog"/>.</summary>
    private static RegistrationReconciler Reconciler(AppFactory app, ITenantCatalog catalog, TimeSpan interval, TimeProvider time) => new(
        catalog,
        ActivatorUtilities.CreateInstance<RegistrationCompensation>(app.Services, catalog),
        new InstanceIdentity(),
        Lease(catalog, time),
        Options.Create(new RegistrationOptions { AbandonAfter = TimeSpan.FromHours(1), ReconcileInterval = interval }),
        time,
        app.Services.GetRequiredService<ILogger<RegistrationReconciler>>());

    /// <summary>The lease of another instance, taken in <paramref name="catalog"/> like the app's own.</summary>
    private static PassLease Lease(ITenantCatalog catalog, TimeProvider time) => new(
        catalog, new InstanceIdentity(), Options.Create(new PassLeaseOptions()), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<PassLease>.Instance);

    /// <summary>What a process killed between the membership and mapping steps leaves behind.</summary>
    private static async Task<string> LeaveCrashedRegistrationAsync(IServiceProvider services, TimeSpan age)
    {
        var catalog = services.GetRequiredService<ITenantCatalog>();
        var databases = services.GetRequiredService<ITenantDatabases>();
        var directory = services.GetRequiredService<IUserDirectory>();
        var tenantId = TenantIds.New();
        var admin = "tenant-admin-" + tenantId;
        var at = DateTimeOffset.UtcNow - age;
        string[] steps = [RegistrationSteps.Tenant, RegistrationSteps.Database, RegistrationSteps.Group, RegistrationSteps.User, RegistrationSteps.Membership];
        await catalog.WriteJournalAsync(new OnboardingJournal(tenantId, "Crashed " + tenantId[..6], "dead-instance", steps, at), default);
        Assert.True(await catalog.TryInsertTenantAsync(new Tenant(tenantId, "Crashed " + tenantId[..6], "c@example.com", null, null, "Basic", TenantStatus.Provisioning, at, at), default));
        await databases.CreateAsync(tenantId, default);
        await directory.CreateGroupAsync(UserPool.Tenant, tenantId, default);
        await directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(admin, "c@example.com", tenantId, Roles.TenantAdmin), default);
        await directory.AddUserToGroupAsync(UserPool.Tenant, admin, tenantId, default);
        return tenantId;
    }

    private static async Task<string> LeaveFinishedRegistrationWithJournalAsync(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<ITenantCatalog>();
        var databases = services.GetRequiredService<ITenantDatabases>();
        var tenantId = TenantIds.New();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        string[] steps = [RegistrationSteps.Tenant, RegistrationSteps.Database, RegistrationSteps.Activate];
        await catalog.WriteJournalAsync(new OnboardingJournal(tenantId, "Finished " + tenantId[..6], "dead-instance", steps, at), default);
        Assert.True(await catalog.TryInsertTenantAsync(new Tenant(tenantId, "Finished " + tenantId[..6], "f@example.com", null, null, "Basic", TenantStatus.Active, at, at), default));
        await databases.CreateAsync(tenantId, default);
        return tenantId;
    }
}
