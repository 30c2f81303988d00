using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>Three instances' limiters of one key over one catalog: one budget between them, leased a slice at a time.</summary>
public sealed class SharedWindowLimiterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-shared-limit-").FullName;

    [Fact]
    public async Task ThreeInstancesGrantNoMoreThanTheBudgetAndAtMostATenthLessThenTheNextWindowStartsAgain()
    {
        using var app = new AppFactory(_directory);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var takes = 0;
        var counted = PortHook.Wrap(catalog, (method, _, call) =>
        {
            if (method == nameof(ITenantCatalog.TakePermitsAsync))
            {
                Interlocked.Increment(ref takes);
            }

            return call();
        });
        var clock = new ManualClock();
        var instances = Enumerable.Range(0, 3).Select(_ => new SharedWindowLimiter(counted, "tenant:t1:Basic", 100, TimeSpan.FromHours(1), clock)).ToList();

        var granted = 0;
        RateLimitLease? refused = null;
        for (var round = 0; round < 50; round++)
        {
            foreach (var instance in instances)
            {
                var lease = await instance.AcquireAsync();
                if (lease.IsAcquired)
                {
                    granted++;
                    lease.Dispose();
                }
                else
                {
                    refused ??= lease;
                }
            }
        }

        Assert.InRange(granted, 90, 100);
        Assert.True(takes < granted, $"{takes} round trips to the store for {granted} permits");
        Assert.True(refused!.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.Zero, TimeSpan.FromHours(1));

        clock.Advance(TimeSpan.FromHours(1));
        using var nextWindow = await instances[0].AcquireAsync();
        Assert.True(nextWindow.IsAcquired);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
