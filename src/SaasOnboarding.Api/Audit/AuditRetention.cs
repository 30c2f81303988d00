using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// Deletes the audit entries older than <see cref="AuditOptions.Retention"/>: a pass at start, then one every
/// <see cref="AuditOptions.PruneInterval"/>. The only way an entry leaves the log.
/// </summary>
public sealed class AuditRetention(ITenantCatalog catalog, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetention> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await PruneAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>One pass; answers how many entries it deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var pruned = await catalog.PruneAuditAsync(time.GetUtcNow() - options.Value.Retention, cancellationToken);
        if (pruned > 0)
        {
            logger.LogInformation("Deleted {Count} audit entries older than the retention of {Retention}", pruned, options.Value.Retention);
        }

        return pruned;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.PruneInterval, time, PruneAsync, logger, "An audit retention pass", stoppingToken);
}
