using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// Deletes the audit entries older than <see cref="AuditOptions.Retention"/>: the catalog's once the app has started
/// (<see cref="BackgroundPasses"/>), then a pass
/// every <see cref="AuditOptions.PruneInterval"/>. The only way an entry leaves the log. Each pass prunes the
/// catalog's log, and the own logs of the next <see cref="AuditOptions.TenantsPerPass"/> tenants in name order,
/// going on where the last pass stopped and starting again after the last tenant (docs/audit-and-events.md). The
/// start leaves the tenants' databases alone: opening one upgrades its schema, which is its first request's to do.
/// </summary>
public sealed class AuditRetention(
    ITenantCatalog catalog, ITenantDatabases databases, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetention> logger)
    : BackgroundService, IPeriodicPass
{
    private readonly SemaphoreSlim _pass = new(1, 1);
    private string? _nextTenants;

    /// <summary>A first pass over the catalog's log, then the periodic ones, which start even if the first failed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PruneAsync(withTenants: false, cancellationToken);
        }
        finally
        {
            await base.StartAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _pass.Dispose();
        base.Dispose();
    }

    /// <summary>One pass; answers how many entries it deleted.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken) => PruneAsync(withTenants: true, cancellationToken);

    private async Task<int> PruneAsync(bool withTenants, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var before = time.GetUtcNow() - options.Value.Retention;
            var pruned = await catalog.PruneAuditAsync(before, cancellationToken) + (withTenants ? await PruneTenantsAsync(before, cancellationToken) : 0);
            if (pruned > 0)
            {
                logger.LogInformation("Deleted {Count} audit entries older than the retention of {Retention}", pruned, options.Value.Retention);
            }

            return pruned;
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<int> PruneTenantsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        Page<Tenant> tenants;
        try
        {
            tenants = await catalog.ListTenantsAsync(options.Value.TenantsPerPass, _nextTenants, null, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A place in the listing that no longer holds (an expired cursor) fails once; the next round starts over.
            _nextTenants = null;
            throw;
        }

        _nextTenants = tenants.NextToken;
        var pruned = 0;
        // A tenant being registered or purged has no database to prune, or soon none.
        foreach (var tenant in tenants.Items.Where(tenant => TenantStates.IsManaged(tenant.Status)))
        {
            try
            {
                pruned += await databases.Open(tenant.Id).PruneAuditAsync(before, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pruning the audit log of tenant {TenantId} failed; the next round tries again", tenant.Id);
            }
        }

        return pruned;
    }

    /// <summary>No lease: instances pruning at once delete the same old entries, which does no harm.</summary>
    public string Name => "audit-retention";

    public async Task<bool> RunPassAsync(CancellationToken cancellationToken)
    {
        await PruneAsync(cancellationToken);
        return true;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.PruneInterval, time, RunPassAsync, logger, "An audit retention pass", stoppingToken);
}
