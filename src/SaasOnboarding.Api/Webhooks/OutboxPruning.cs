using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Webhooks;

/// <summary>
/// Deletes the outbox events older than <see cref="WebhookOptions.OutboxRetention"/> that every endpoint has passed
/// (<see cref="IWebhookStore.PruneOutboxAsync"/>), a pass every <see cref="WebhookOptions.OutboxPruneInterval"/>, run
/// by the one instance that holds the lease <see cref="LeaseName"/>. A purged tenant's events go the same way. A
/// replay of a pruned event answers 404.
/// </summary>
public sealed class OutboxPruning(IWebhookStore store, PassLease lease, IOptions<WebhookOptions> options, TimeProvider time, ILogger<OutboxPruning> logger)
    : BackgroundService, IPeriodicPass
{
    public const string LeaseName = "outbox-prune";

    public string Name => LeaseName;

    /// <summary>One pass, whether or not this instance holds the lease; answers how many events it deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var pruned = await store.PruneOutboxAsync(time.GetUtcNow() - options.Value.OutboxRetention, cancellationToken);
        if (pruned > 0)
        {
            logger.LogInformation("Deleted {Count} outbox events older than the retention of {Retention}", pruned, options.Value.OutboxRetention);
        }

        return pruned;
    }

    public Task<bool> RunPassAsync(CancellationToken cancellationToken) => lease.RunIfHeldAsync(LeaseName, PruneAsync, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.OutboxPruneInterval, time, RunPassAsync, logger, "An outbox pruning pass", stoppingToken);
}
