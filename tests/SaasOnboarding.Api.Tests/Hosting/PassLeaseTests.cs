using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>Two instances' leases on one catalog: one pass of a kind at a time, renewed while it runs, expiring after a crash.</summary>
public sealed class PassLeaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-lease-").FullName;

    [Fact]
    public async Task WhileOneInstanceRunsAPassAnotherSkipsItsOwnAndRunsOnceTheFirstIsDone()
    {
        using var app = new AppFactory(_directory);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var clock = new ManualClock();
        var firstTakes = 0;
        var first = Lease(PortHook.Wrap(catalog, (method, _, call) =>
        {
            if (method == nameof(ITenantCatalog.TryTakeLeaseAsync))
            {
                Interlocked.Increment(ref firstTakes);
            }

            return call();
        }), clock);
        var second = Lease(catalog, clock);
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();

        var running = first.RunIfHeldAsync("test-pass", async _ =>
        {
            started.SetResult();
            await release.Task;
        }, default);
        await started.Task;

        // Renewed at a third of its 30 s (the first take and one renewal), then past the first expiry: still the first's.
        clock.Advance(TimeSpan.FromSeconds(20));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref firstTakes) < 2 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        clock.Advance(TimeSpan.FromSeconds(15));
        var ranMeanwhile = false;
        Assert.False(await second.RunIfHeldAsync("test-pass", _ => Task.FromResult(ranMeanwhile = true), default));

        release.SetResult();
        Assert.True(await running);
        Assert.True(await second.RunIfHeldAsync("test-pass", _ => Task.CompletedTask, default));
        Assert.False(ranMeanwhile);
    }

    [Fact]
    public async Task ALeaseACrashedHolderLeftIsTakenOnceItExpires()
    {
        using var app = new AppFactory(_directory);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var clock = new ManualClock();

        // What a process killed during its pass leaves: the lease, taken for a minute and never given up.
        Assert.True(await catalog.TryTakeLeaseAsync("test-pass", "crashed", clock.GetUtcNow(), TimeSpan.FromMinutes(1), default));
        var survivor = Lease(catalog, clock);

        Assert.False(await survivor.RunIfHeldAsync("test-pass", _ => Task.CompletedTask, default));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await survivor.RunIfHeldAsync("test-pass", _ => Task.CompletedTask, default));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static PassLease Lease(ITenantCatalog catalog, TimeProvider time) =>
        new(catalog, new InstanceIdentity(), Options.Create(new PassLeaseOptions { Duration = TimeSpan.FromSeconds(30) }), time, NullLogger<PassLease>.Instance);
}
