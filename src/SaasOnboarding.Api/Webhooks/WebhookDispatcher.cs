using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Webhooks;

/// <summary>
/// Delivers the outbox to the enabled endpoints (docs/webhooks.md), a pass every
/// <see cref="WebhookOptions.DispatchInterval"/>. For each endpoint and tenant with events after the endpoint's
/// cursor it claims the cursor (a conditional write: no two instances deliver one tenant's events to one endpoint at
/// once), sends the events in sequence order, and moves the cursor after each one, writing the attempt to the log in
/// the same transaction. A failed event holds back that tenant's later events to that endpoint until it is
/// delivered or given up (after <see cref="WebhookOptions.MaxAttempts"/>, logged as failed, and the cursor moves
/// on); other tenants and endpoints go on. An event whose type the endpoint's filter leaves out is passed over.
/// At least once: a crash after a send and before its write sends it again.
/// </summary>
public sealed class WebhookDispatcher(
    IWebhookStore store,
    ITenantCatalog catalog,
    WebhookSender sender,
    InstanceIdentity instance,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService, IPeriodicPass
{
    private const int BatchSize = 50;

    /// <summary>No lease: each cursor is claimed on its own.</summary>
    public string Name => "webhook-delivery";

    /// <summary>One pass; answers how many attempts it made.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var due = await store.ListDueAsync(time.GetUtcNow(), 200, cancellationToken);
        var attempts = 0;
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (cursor, token) =>
            {
                try
                {
                    Interlocked.Add(ref attempts, await DeliverAsync(cursor, token));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The claim runs out on its own; the next pass after it takes the cursor up again.
                    logger.LogError(e, "Delivering tenant {TenantId}'s events to webhook {WebhookId} failed", cursor.TenantId, cursor.EndpointId);
                }
            });
        return attempts;
    }

    public async Task<bool> RunPassAsync(CancellationToken cancellationToken)
    {
        await DispatchAsync(cancellationToken);
        return true;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.DispatchInterval, time, RunPassAsync, logger, "A webhook delivery pass", stoppingToken);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1, 2, …): doubling from the first delay, capped, then the upper half of it at random.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan first, TimeSpan cap)
    {
        var doubled = first.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(doubled, cap.Ticks);
        return TimeSpan.FromTicks((long)(capped / 2 + (Random.Shared.NextDouble() * capped / 2)));
    }

    private async Task<int> DeliverAsync(WebhookCursor cursor, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (await store.GetEndpointAsync(cursor.EndpointId, cancellationToken) is not { Enabled: true } endpoint)
        {
            return 0;
        }

        var hold = settings.Timeout + TimeSpan.FromSeconds(30);
        if (!await store.TryClaimAsync(cursor, instance.Id, time.GetUtcNow(), time.GetUtcNow() + hold, cancellationToken))
        {
            return 0;
        }

        var delivered = cursor.DeliveredSequence;
        var attempt = cursor.Attempt;
        var attempts = 0;
        while (true)
        {
            var events = await catalog.ListOutboxAsync(cursor.TenantId, delivered, BatchSize, cancellationToken);
            foreach (var change in events)
            {
                if (endpoint.EventTypes is { } types && !types.Contains(change.Type, StringComparer.Ordinal))
                {
                    delivered = change.Sequence;
                    continue;
                }

                attempt++;
                attempts++;
                var result = await sender.SendAsync(endpoint, change.Id, WebhookSender.Body(change), cancellationToken);
                var now = time.GetUtcNow();
                var final = result.Delivered || attempt >= settings.MaxAttempts;
                DateTimeOffset? nextAttempt = final ? null : now + Backoff(attempt, settings.RetryDelay, settings.MaxRetryDelay);
                var outcome = result.Delivered ? WebhookOutcomes.Delivered : final ? WebhookOutcomes.Failed : WebhookOutcomes.Retrying;
                var entry = new WebhookDelivery(
                    Guid.CreateVersion7(now).ToString(), endpoint.Id, change.Id, change.Type, change.TenantId, attempt, outcome, result.Status, result.Error, result.ResponseExcerpt, now, nextAttempt);
                if (!result.Delivered)
                {
                    logger.LogWarning(
                        "Webhook {WebhookId}: attempt {Attempt} at event {EventId} of tenant {TenantId} failed ({Status}); {Outcome}",
                        endpoint.Id, attempt, change.Id, change.TenantId, result.Status, outcome);
                }

                if (!final)
                {
                    await store.AdvanceAsync(new WebhookCursor(endpoint.Id, cursor.TenantId, delivered, attempt, nextAttempt), instance.Id, null, entry, cancellationToken);
                    return attempts;
                }

                delivered = change.Sequence;
                attempt = 0;
                if (!await store.AdvanceAsync(new WebhookCursor(endpoint.Id, cursor.TenantId, delivered, 0), instance.Id, time.GetUtcNow() + hold, entry, cancellationToken))
                {
                    // Held too long: another instance has it now.
                    return attempts;
                }
            }

            if (events.Count < BatchSize)
            {
                break;
            }
        }

        await store.AdvanceAsync(new WebhookCursor(endpoint.Id, cursor.TenantId, delivered, attempt), instance.Id, null, null, cancellationToken);
        return attempts;
    }
}
