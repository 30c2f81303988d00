using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Purges the tenants that are due: once the app has started (<see cref="BackgroundPasses"/>) it finishes every purge a crash left
/// and purges the offboarding tenants whose retention has passed, then does the same every
/// <see cref="OffboardingOptions.PurgeInterval"/>. A tenant's failure is logged and does not stop the others; it is
/// tried again at the next pass. Only the instance that holds the lease <see cref="LeaseName"/> runs these passes
/// (<see cref="PassLease"/>).
/// </summary>
public sealed class PurgeService(
    ITenantCatalog catalog, IServiceScopeFactory scopes, PassLease lease, IOptions<OffboardingOptions> options, TimeProvider time, ILogger<PurgeService> logger)
    : BackgroundService, IPeriodicPass
{
    public const string LeaseName = "purge";

    public string Name => LeaseName;

    /// <summary>A first pass, then the periodic ones, which start even if the first failed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunPassAsync(cancellationToken);
        }
        finally
        {
            await base.StartAsync(cancellationToken);
        }
    }

    /// <summary>One pass; answers how many tenants it purged.</summary>
    public async Task<int> PurgeDueAsync(CancellationToken cancellationToken)
    {
        var purged = 0;

        // Purges a crash left first, then the offboarding tenants; each status read to its end before any is purged.
        foreach (var status in new[] { TenantStatus.Purging, TenantStatus.Offboarding })
        {
            foreach (var tenant in await ListAsync(status, cancellationToken))
            {
                if (!TenantStates.IsDueForPurge(tenant.Status, tenant.Offboarding?.PurgeAfter, time.GetUtcNow()))
                // Stryker disable once Block,Statement : the claim checks the same and declines; this only spares a scope.
                {
                    continue;
                }

                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var saga = scope.ServiceProvider.GetRequiredService<PurgeSaga>();
                    if (await saga.ClaimAsync(tenant, cancellationToken))
                    {
                        await saga.PurgeAsync(tenant, cancellationToken);
                        purged++;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Purging tenant {TenantId} failed; the next pass tries again", tenant.Id);
                }
            }
        }

        return purged;
    }

    public Task<bool> RunPassAsync(CancellationToken cancellationToken) => lease.RunIfHeldAsync(LeaseName, PurgeDueAsync, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.PurgeInterval, time, RunPassAsync, logger, "A purge pass", stoppingToken);

    private async Task<List<Tenant>> ListAsync(TenantStatus status, CancellationToken cancellationToken)
    {
        var tenants = new List<Tenant>();
        string? nextToken = null;
        do
        {
            var page = await catalog.ListTenantsAsync(100, nextToken, null, status, cancellationToken);
            tenants.AddRange(page.Items);
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        return tenants;
    }
}
