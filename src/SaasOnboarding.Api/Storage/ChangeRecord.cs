namespace SaasOnboarding.Api.Storage;

/// <summary>
/// What a change records beside itself: its audit entry and the lifecycle events it emits (zero or more). A catalog
/// write that takes one writes it in the same transaction (SQL) or the same query (Fauna) as the change, and only
/// when the change is made: a write that changes nothing (version mismatch, no such tenant, a taken name) records
/// nothing. docs/audit-and-events.md.
/// </summary>
public sealed record ChangeRecord(AuditEntry Audit, IReadOnlyList<LifecycleEvent> Events)
{
    public static ChangeRecord Of(AuditEntry audit, params LifecycleEvent[] events) => new(audit, events);

    /// <summary>
    /// This record with, after its own events, the one <paramref name="eventsByUser"/> holds for each of
    /// <paramref name="userNames"/> (in name order; a name it does not hold adds none).
    /// </summary>
    public ChangeRecord WithEventsOf(IEnumerable<string> userNames, IReadOnlyDictionary<string, LifecycleEvent>? eventsByUser) =>
        eventsByUser is null
            ? this
            : this with { Events = [.. Events, .. userNames.Order(StringComparer.Ordinal).Select(eventsByUser.GetValueOrDefault).OfType<LifecycleEvent>()] };
}

/// <summary>
/// One entry of the append-only audit log. <see cref="Actor"/> is a user name (with its <see cref="ActorPool"/>),
/// <c>anonymous</c> for a registration, or <c>system</c> for the app's own passes (the purge). Never a password or
/// token: the entry names what was done to what, not with what. <see cref="Id"/> is unique and, within one instant,
/// ordered (a version 7 GUID); <see cref="Outcome"/> is one of <see cref="AuditOutcomes"/>; <see cref="Status"/> the
/// HTTP status of the request that made the change, when a request made it.
/// </summary>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset Time,
    string Actor,
    string? ActorPool,
    string? TenantId,
    string Action,
    string? Target,
    string Outcome,
    int? Status,
    string? ClientAddress,
    string? TraceId);

/// <summary>The outcomes an audit entry names.</summary>
public static class AuditOutcomes
{
    public const string Succeeded = "succeeded";

    /// <summary>Refused (4xx): nothing changed.</summary>
    public const string Refused = "refused";

    /// <summary>Failed (5xx): the request broke off; what it did is in the entries of the changes it made.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// A lifecycle event as a change writes it to the outbox: its CloudEvents <c>id</c>, <c>type</c>, <c>subject</c>
/// (the tenant), <c>time</c> and <c>data</c> (a JSON object, as text). The store gives it the tenant's next
/// <see cref="OutboxEvent.Sequence"/> in the same write.
/// </summary>
public sealed record LifecycleEvent(string Id, string Type, string TenantId, DateTimeOffset Time, string Data);

/// <summary>A lifecycle event as the outbox holds it: with its place in its tenant's order (1, 2, 3, …).</summary>
public sealed record OutboxEvent(string Id, string Type, string TenantId, long Sequence, DateTimeOffset Time, string Data);

/// <summary>
/// The filters of an audit listing; null: any. <see cref="Before"/> keeps the entries that sort after it, newest
/// first (an earlier time, or the same time and a lower id): the place a merged listing has reached.
/// </summary>
public sealed record AuditQuery(
    string? TenantId = null, string? Actor = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null, AuditPosition? Before = null);

/// <summary>An entry's place in the newest-first order of the audit log: its time, then its id.</summary>
public sealed record AuditPosition(DateTimeOffset Time, string Id)
{
    public static AuditPosition Of(AuditEntry entry) => new(entry.Time, entry.Id);

    /// <summary>Newest first: the later time, then the higher id (ordinal), comes first.</summary>
    public static int NewestFirst(AuditEntry left, AuditEntry right)
    {
        var byTime = right.Time.CompareTo(left.Time);
        return byTime != 0 ? byTime : string.CompareOrdinal(right.Id, left.Id);
    }
}
