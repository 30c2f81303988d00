namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The webhooks' part of the parent database (docs/webhooks.md): the endpoints, each endpoint's cursor in each
/// tenant's outbox, and the delivery log. Claims are conditional writes, so that two instances never deliver to one
/// endpoint for one tenant at once.
/// </summary>
public interface IWebhookStore
{
    /// <summary>
    /// Inserts <paramref name="endpoint"/> and, in the same transaction, a cursor at each tenant's last outbox event:
    /// an endpoint hears of the events written after it was made.
    /// </summary>
    Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Endpoints by id (a version 7 GUID: in the order they were made, to the millisecond).</summary>
    Task<Page<WebhookEndpoint>> ListEndpointsAsync(int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Deletes the endpoint with its cursors and its delivery log; false when there was none.</summary>
    Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>
    /// Work that is due at <paramref name="now"/>: an enabled endpoint and a tenant with outbox events after the
    /// cursor, whose next attempt is due and which no instance holds. A tenant whose registration is under way (it
    /// has an onboarding journal) is left out: a registration that is undone deletes its events, which must not have
    /// gone out.
    /// </summary>
    Task<IReadOnlyList<WebhookCursor>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes <paramref name="cursor"/> for <paramref name="owner"/> until <paramref name="until"/>, only if it is still
    /// as it was listed and free at <paramref name="now"/> (one conditional write): true when this caller holds it.
    /// </summary>
    Task<bool> TryClaimAsync(WebhookCursor cursor, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a cursor that <paramref name="owner"/> holds (to <paramref name="moved"/>'s sequence, attempt and next
    /// attempt) and writes <paramref name="delivery"/> to the log in the same transaction; holds it on until
    /// <paramref name="heldUntil"/>, or frees it when that is null. False, and nothing written, when the owner no
    /// longer holds it.
    /// </summary>
    Task<bool> AdvanceAsync(WebhookCursor moved, string owner, DateTimeOffset? heldUntil, WebhookDelivery? delivery, CancellationToken cancellationToken);

    /// <summary>Writes one entry of the delivery log (a test event, a replay).</summary>
    Task AppendDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The endpoint's delivery log, newest first (time, then id).</summary>
    Task<Page<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>One outbox event by its id, for a replay.</summary>
    Task<OutboxEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the outbox events written before <paramref name="before"/> that every endpoint has passed (its cursor
    /// in the event's tenant at or after the event; no endpoint at all: every event); answers how many. Each tenant's
    /// last sequence stays, so no sequence is given twice.
    /// </summary>
    Task<int> PruneOutboxAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>
/// A webhook endpoint: where events go, the signing secret as stored (encrypted: <c>Webhooks/WebhookSecrets.cs</c>),
/// the event types it takes (null: all), when it was made and whether it is on.
/// </summary>
public sealed record WebhookEndpoint(string Id, string Url, string ProtectedSecret, IReadOnlyList<string>? EventTypes, DateTimeOffset CreatedAt, bool Enabled)
{
    /// <summary>Never the secret, even encrypted.</summary>
    public override string ToString() => $"WebhookEndpoint {Id} ({Url})";
}

/// <summary>
/// An endpoint's place in a tenant's outbox: the last event handled (delivered, skipped by the filter or given up),
/// and the failed attempts at the next one.
/// </summary>
public sealed record WebhookCursor(string EndpointId, string TenantId, long DeliveredSequence, int Attempt, DateTimeOffset? NextAttemptAt = null);

/// <summary>
/// One attempt to deliver an event to an endpoint, as the log keeps it: its outcome (<see cref="WebhookOutcomes"/>),
/// the receiver's status or the error, a short excerpt of the answer's body, and when the next attempt is due.
/// </summary>
public sealed record WebhookDelivery(
    string Id,
    string EndpointId,
    string EventId,
    string EventType,
    string? TenantId,
    int Attempt,
    string Outcome,
    int? Status,
    string? Error,
    string? ResponseExcerpt,
    DateTimeOffset Time,
    DateTimeOffset? NextAttemptAt);

/// <summary>The outcomes of a delivery attempt.</summary>
public static class WebhookOutcomes
{
    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>It failed; another attempt is due at the entry's next attempt time.</summary>
    public const string Retrying = "retrying";

    /// <summary>It failed and no further attempt follows (the last attempt, a test event or a replay).</summary>
    public const string Failed = "failed";
}
