namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// A <see cref="ChangeRecord"/> as FQL: the statements that create its audit entry (collection <c>auditEntry</c>)
/// and its events (collection <c>outboxEvent</c>, each with its tenant's next sequence from <c>outboxSequence</c>),
/// embedded in the query of the change so that both are one transaction; and how entries read back.
/// </summary>
internal static class FaunaChanges
{
    internal const string AuditList = "audit";

    /// <summary>
    /// FQL statements ending in <c>null</c>; for no record, just <c>null</c>. <paramref name="moreEvents"/>: an FQL
    /// expression of the query's, an array of further events (as <see cref="EventFields"/> writes them) to write after
    /// the record's own.
    /// </summary>
    public static Fql Write(ChangeRecord? record, Fql? moreEvents = null)
    {
        if (record is null)
        {
            return Fql.Of($"null");
        }

        var entry = EntryFields(record.Audit);
        var events = record.Events.Select(EventFields).ToList();
        var all = moreEvents is null ? Fql.Of($"{events}") : Fql.Of($"{events}.concat({moreEvents})");

        // The tenant's outboxSequence document is moved on with each event (a query reads its own writes), so it
        // outlives pruned events; two writers of one tenant conflict on it, and the unique (tenantId, sequence)
        // constraint backs the order.
        return Fql.Of($$"""
            auditEntry.create({{entry}})
            {{all}}.forEach(e => {
              let s = outboxSequence.byTenantId(e.tenantId).first()
              let next = (s?.lastSequence ?? 0) + 1
              if (s == null) {
                outboxSequence.create({ tenantId: e.tenantId, lastSequence: next })
              } else {
                s!.update({ lastSequence: next })
              }
              outboxEvent.create(Object.assign(e, { sequence: next }))
            })
            null
            """);
    }

    /// <summary>An event's fields as an <c>outboxEvent</c> document has them, but its sequence.</summary>
    public static Dictionary<string, object?> EventFields(LifecycleEvent change) => new()
    {
        ["eventId"] = change.Id,
        ["tenantId"] = change.TenantId,
        ["type"] = change.Type,
        ["time"] = change.Time,
        ["data"] = change.Data,
    };

    /// <summary>
    /// The statement that creates <paramref name="audit"/> naming <paramref name="target"/> (an FQL expression: a
    /// value, or the id of a document the same query created): a tenant database's entry of its own change.
    /// </summary>
    public static Fql CreateEntry(AuditEntry audit, Fql target) =>
        Fql.Of($$"""auditEntry.create(Object.assign({{EntryFields(audit)}}, { target: {{target}} }))""");

    /// <summary>The entries older than <paramref name="before"/>, at most 1000 a query (a Fauna transaction has a write limit), deleted; answers how many.</summary>
    public static Fql Prune(DateTimeOffset before) => Fql.Of($"""
        let old = auditEntry.sortedByTime().where(e => e.time < {before}).take(1000).toArray()
        old.forEach(e => e.delete())
        old.length
        """);

    private static Dictionary<string, object?> EntryFields(AuditEntry audit) => new()
    {
        ["entryId"] = audit.Id,
        ["time"] = audit.Time,
        ["actor"] = audit.Actor,
        ["actorPool"] = audit.ActorPool,
        ["tenantId"] = audit.TenantId,
        ["action"] = audit.Action,
        ["target"] = audit.Target,
        ["outcome"] = audit.Outcome,
        ["status"] = audit.Status,
        ["clientAddress"] = audit.ClientAddress,
        ["traceId"] = audit.TraceId,
    };

    /// <summary>The first page's query of a listing; later pages follow the wrapped cursor.</summary>
    public static Fql List(AuditQuery query, int limit)
    {
        var set = query.TenantId is { } tenantId ? Fql.Of($"auditEntry.byTenantId({tenantId})") : Fql.Of($"auditEntry.sortedByTime()");
        return Fql.Of($"{Matching(set, query)}.pageSize({limit})");
    }

    /// <summary>A tenant database's entries matching <paramref name="query"/> (its tenant aside), newest first, at most <paramref name="limit"/>.</summary>
    public static Fql Take(AuditQuery query, int limit) =>
        Fql.Of($"{Matching(Fql.Of($"auditEntry.sortedByTime()"), query)}.take({limit}).toArray()");

    /// <summary><paramref name="set"/> (newest first) filtered by <paramref name="query"/>'s actor, action, time range and place.</summary>
    private static Fql Matching(Fql set, AuditQuery query) => Fql.Of($"""
        {set}.where(e => ({query.Actor} == null || e.actor == {query.Actor})
          && ({query.Action} == null || e.action == {query.Action})
          && ({query.From} == null || e.time >= {query.From})
          && ({query.To} == null || e.time < {query.To})
          && ({query.Before?.Time} == null || e.time < {query.Before?.Time} || (e.time == {query.Before?.Time} && e.entryId < {query.Before?.Id})))
        """);

    public static AuditEntry Read(FaunaDocument document) => new(
        FaunaRead.String(document, "entryId"),
        FaunaRead.Time(document["time"], "time"),
        FaunaRead.String(document, "actor"),
        FaunaRead.OptionalString(document, "actorPool"),
        FaunaRead.OptionalString(document, "tenantId"),
        FaunaRead.String(document, "action"),
        FaunaRead.OptionalString(document, "target"),
        FaunaRead.String(document, "outcome"),
        document["status"] is null ? null : FaunaRead.Int(document["status"], "status"),
        FaunaRead.OptionalString(document, "clientAddress"),
        FaunaRead.OptionalString(document, "traceId"));

    public static OutboxEvent ReadEvent(FaunaDocument document) => new(
        FaunaRead.String(document, "eventId"),
        FaunaRead.String(document, "type"),
        FaunaRead.String(document, "tenantId"),
        FaunaRead.Long(document["sequence"], "sequence"),
        FaunaRead.Time(document["time"], "time"),
        FaunaRead.String(document, "data"));
}
