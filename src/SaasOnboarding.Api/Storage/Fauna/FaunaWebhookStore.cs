namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// <see cref="IWebhookStore"/> in the parent database (catalog migrations 4 and 6): collections
/// <c>webhookEndpoint</c>, <c>webhookCursor</c> and <c>webhookDelivery</c>, beside <c>outboxSequence</c>, which
/// names the tenants with events and each one's last sequence. Each method is one query, so one transaction; a claim
/// reads the cursor and writes it only if it is as listed and free, so two instances that claim at once conflict
/// and one of them finds it taken.
/// </summary>
public sealed class FaunaWebhookStore(FaunaClient client) : IWebhookStore
{
    internal const string EndpointsList = "webhooks";

    public Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, object?>
        {
            ["endpointId"] = endpoint.Id,
            ["url"] = endpoint.Url,
            ["secret"] = endpoint.ProtectedSecret,
            ["eventTypes"] = endpoint.EventTypes,
            ["createdAt"] = endpoint.CreatedAt,
            ["enabled"] = endpoint.Enabled,
        };
        return client.QueryAsync(
            Fql.Of($$"""
                webhookEndpoint.create({{fields}})
                outboxSequence.all().forEach(s => webhookCursor.create({ endpointId: {{endpoint.Id}}, tenantId: s.tenantId, deliveredSequence: s.lastSequence, attempt: 0 }))
                null
                """),
            "webhook_insert",
            null,
            cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(Fql.Of($"webhookEndpoint.byEndpointId({endpointId}).first()"), "webhook_get", null, cancellationToken);
        return FaunaRead.Document(answer.Data) is { } document ? ReadEndpoint(document) : null;
    }

    public async Task<Page<WebhookEndpoint>> ListEndpointsAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = nextToken is null
            ? Fql.Of($"webhookEndpoint.sortedById().pageSize({limit})")
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(EndpointsList, nextToken)})");
        var page = FaunaRead.Page((await client.QueryPageAsync(query, "webhook_list", null, cancellationToken)).Data);
        return new Page<WebhookEndpoint>(
            page.Data.Select(item => ReadEndpoint(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null webhook in a page."))).ToList(),
            FaunaPageTokens.Wrap(EndpointsList, page.After));
    }

    /// <summary>Deletes the log and the cursors with the endpoint, in one query (a Fauna transaction's write limit bounds the log it can take).</summary>
    public async Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                webhookDelivery.byEndpointId({{endpointId}}).forEach(d => d.delete())
                webhookCursor.byEndpointId({{endpointId}}).forEach(c => c.delete())
                let e = webhookEndpoint.byEndpointId({{endpointId}}).first()
                if (e == null) {
                  false
                } else {
                  e!.delete()
                  true
                }
                """),
            "webhook_delete",
            null,
            cancellationToken);
        return FaunaRead.Bool(answer.Data, "deleted");
    }

    /// <summary>
    /// Every enabled endpoint against every tenant with events and no onboarding journal, as the SQL stores' cross
    /// join: the cursor's place (none: before the first event), kept when the tenant's last sequence is past it and
    /// the cursor is neither waiting for a retry nor held.
    /// </summary>
    public async Task<IReadOnlyList<WebhookCursor>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                let endpoints = webhookEndpoint.sortedById().where(e => e.enabled).toArray()
                let registering = onboardingJournal.all().map(j => j.tenantId).toArray()
                outboxSequence.all().where(s => !registering.includes(s.tenantId)).toArray().flatMap(s => endpoints.map(e => {
                  let c = webhookCursor.byEndpointAndTenant(e.endpointId, s.tenantId).first()
                  let delivered = c?.deliveredSequence ?? 0
                  let due = { endpointId: e.endpointId, tenantId: s.tenantId, deliveredSequence: delivered, attempt: c?.attempt ?? 0 }
                  if (s.lastSequence > delivered && (c?.nextAttemptAt == null || c!.nextAttemptAt <= {{now}}) && (c?.claimedUntil == null || c!.claimedUntil <= {{now}})) due else null
                })).where(due => due != null).take({{limit}})
                """),
            "webhook_due",
            null,
            cancellationToken);
        return FaunaRead.Array(answer.Data).Select(item => item is IReadOnlyDictionary<string, object?> fields
            ? new WebhookCursor(
                fields.GetValueOrDefault("endpointId") as string ?? throw new FaunaProtocolException("A due cursor without an endpoint."),
                fields.GetValueOrDefault("tenantId") as string ?? throw new FaunaProtocolException("A due cursor without a tenant."),
                FaunaRead.Long(fields.GetValueOrDefault("deliveredSequence"), "deliveredSequence"),
                FaunaRead.Int(fields.GetValueOrDefault("attempt"), "attempt"))
            : throw new FaunaProtocolException("A due cursor is not an object.")).ToList();
    }

    public async Task<bool> TryClaimAsync(WebhookCursor cursor, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await client.QueryAsync(
                Fql.Of($$"""
                    let found = webhookCursor.byEndpointAndTenant({{cursor.EndpointId}}, {{cursor.TenantId}}).first()
                    let c = if (found == null) {
                      webhookCursor.create({ endpointId: {{cursor.EndpointId}}, tenantId: {{cursor.TenantId}}, deliveredSequence: 0, attempt: 0 })
                    } else {
                      found!
                    }
                    if (c.deliveredSequence == {{cursor.DeliveredSequence}} && c.attempt == {{cursor.Attempt}} && (c.claimedUntil == null || c.claimedUntil <= {{now}})) {
                      c.update({ claimedBy: {{owner}}, claimedUntil: {{until}} })
                      true
                    } else {
                      false
                    }
                    """),
                "webhook_claim",
                null,
                cancellationToken);
            return FaunaRead.Bool(answer.Data, "claimed");
        }
        catch (FaunaConstraintException)
        {
            // Another instance made the cursor between this query's read and its write, and so holds it.
            return false;
        }
    }

    public async Task<bool> AdvanceAsync(WebhookCursor moved, string owner, DateTimeOffset? heldUntil, WebhookDelivery? delivery, CancellationToken cancellationToken)
    {
        // A field set to null is removed from the document: a freed cursor has no holder.
        var fields = new Dictionary<string, object?>
        {
            ["deliveredSequence"] = moved.DeliveredSequence,
            ["attempt"] = moved.Attempt,
            ["nextAttemptAt"] = moved.NextAttemptAt,
            ["claimedBy"] = heldUntil is null ? null : owner,
            ["claimedUntil"] = heldUntil,
        };
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                let c = webhookCursor.byEndpointAndTenant({{moved.EndpointId}}, {{moved.TenantId}}).first()
                if (c != null && c!.claimedBy == {{owner}}) {
                  c!.update({{fields}})
                  {{WriteDelivery(delivery)}}
                  true
                } else {
                  false
                }
                """),
            "webhook_advance",
            null,
            cancellationToken);
        return FaunaRead.Bool(answer.Data, "advanced");
    }

    public Task AppendDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        client.QueryAsync(WriteDelivery(delivery), "webhook_delivery_append", null, cancellationToken);

    public async Task<Page<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // The token names the endpoint's log, so that one endpoint's cursor never pages another's.
        var list = DeliveriesList(endpointId);
        var query = nextToken is null
            ? Fql.Of($"webhookDelivery.byEndpointId({endpointId}).pageSize({limit})")
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(list, nextToken)})");
        var page = FaunaRead.Page((await client.QueryPageAsync(query, "webhook_delivery_list", null, cancellationToken)).Data);
        return new Page<WebhookDelivery>(
            page.Data.Select(item => ReadDelivery(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null delivery in a page."))).ToList(),
            FaunaPageTokens.Wrap(list, page.After));
    }

    public async Task<OutboxEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(Fql.Of($"outboxEvent.byEventId({eventId}).first()"), "outbox_get", null, cancellationToken);
        return FaunaRead.Document(answer.Data) is { } document ? FaunaChanges.ReadEvent(document) : null;
    }

    /// <summary>At most 1000 events a query (a Fauna transaction has a write limit); a later pass goes on.</summary>
    public async Task<int> PruneOutboxAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                let endpoints = webhookEndpoint.all().map(w => w.endpointId).toArray()
                let old = outboxEvent.all().where(e => e.time < {{before}} && endpoints.every(id => (webhookCursor.byEndpointAndTenant(id, e.tenantId).first()?.deliveredSequence ?? 0) >= e.sequence)).take(1000).toArray()
                old.forEach(e => e.delete())
                old.length
                """),
            "outbox_prune",
            null,
            cancellationToken);
        return FaunaRead.Int(answer.Data, "pruned");
    }

    internal static string DeliveriesList(string endpointId) => "deliveries." + endpointId;

    /// <summary>FQL statements ending in <c>null</c> that create the log entry; for none, just <c>null</c>.</summary>
    private static Fql WriteDelivery(WebhookDelivery? delivery)
    {
        if (delivery is null)
        {
            return Fql.Of($"null");
        }

        var fields = new Dictionary<string, object?>
        {
            ["deliveryId"] = delivery.Id,
            ["endpointId"] = delivery.EndpointId,
            ["eventId"] = delivery.EventId,
            ["eventType"] = delivery.EventType,
            ["tenantId"] = delivery.TenantId,
            ["attempt"] = delivery.Attempt,
            ["outcome"] = delivery.Outcome,
            ["status"] = delivery.Status,
            ["error"] = delivery.Error,
            ["responseExcerpt"] = delivery.ResponseExcerpt,
            ["time"] = delivery.Time,
            ["nextAttemptAt"] = delivery.NextAttemptAt,
        };
        return Fql.Of($"""
            webhookDelivery.create({fields})
            null
            """);
    }

    private static WebhookEndpoint ReadEndpoint(FaunaDocument document) => new(
        FaunaRead.String(document, "endpointId"),
        FaunaRead.String(document, "url"),
        FaunaRead.String(document, "secret"),
        document["eventTypes"] is null
            ? null
            : FaunaRead.Array(document["eventTypes"]).Select(type => type as string ?? throw new FaunaProtocolException("An event type is not a string.")).ToList(),
        FaunaRead.Time(document["createdAt"], "createdAt"),
        FaunaRead.Bool(document["enabled"], "enabled"));

    private static WebhookDelivery ReadDelivery(FaunaDocument document) => new(
        FaunaRead.String(document, "deliveryId"),
        FaunaRead.String(document, "endpointId"),
        FaunaRead.String(document, "eventId"),
        FaunaRead.String(document, "eventType"),
        FaunaRead.OptionalString(document, "tenantId"),
        FaunaRead.Int(document["attempt"], "attempt"),
        FaunaRead.String(document, "outcome"),
        document["status"] is null ? null : FaunaRead.Int(document["status"], "status"),
        FaunaRead.OptionalString(document, "error"),
        FaunaRead.OptionalString(document, "responseExcerpt"),
        FaunaRead.Time(document["time"], "time"),
        document["nextAttemptAt"] is null ? null : FaunaRead.Time(document["nextAttemptAt"], "nextAttemptAt"));
}
