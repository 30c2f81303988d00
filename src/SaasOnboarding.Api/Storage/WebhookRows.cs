using System.Data.Common;
using System.Text.Json;
using static SaasOnboarding.Api.Storage.SqlCommands;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// <see cref="IWebhookStore"/> over the SQL catalogs (SQLite and PostgreSQL), written once: each store says how it
/// opens a connection and a write transaction, how it keeps a time and where its tables are.
/// </summary>
internal sealed class WebhookRows(
    string prefix,
    Func<CancellationToken, Task<DbConnection>> open,
    Func<DbConnection, CancellationToken, Task<DbTransaction>> beginWrite,
    Func<DateTimeOffset, object> storedTime,
    Func<DbDataReader, int, DateTimeOffset> readTime) : IWebhookStore
{
    private const string EndpointColumns = "id, url, secret, event_types, created_at, enabled";
    private const string DeliveryColumns = "id, endpoint_id, event_id, event_type, tenant_id, attempt, outcome, status, error, response_excerpt, time, next_attempt_at";

    public async Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await beginWrite(connection, cancellationToken);
        await ExecuteAsync(
            connection,
            transaction,
            $"INSERT INTO {prefix}webhook_endpoint ({EndpointColumns}) VALUES (@id, @url, @secret, @types, @created, @enabled)",
            cancellationToken,
            ("@id", endpoint.Id),
            ("@url", endpoint.Url),
            ("@secret", endpoint.ProtectedSecret),
            ("@types", endpoint.EventTypes is null ? null : JsonSerializer.Serialize(endpoint.EventTypes, StoredJson.Default.IReadOnlyListString)),
            ("@created", storedTime(endpoint.CreatedAt)),
            ("@enabled", endpoint.Enabled));
        await ExecuteAsync(
            connection,
            transaction,
            $"""
            INSERT INTO {prefix}webhook_cursor (endpoint_id, tenant_id, delivered_sequence, attempt)
            SELECT @id, tenant_id, last_sequence, 0 FROM {prefix}outbox_sequence
            """,
            cancellationToken,
            ("@id", endpoint.Id));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {EndpointColumns} FROM {prefix}webhook_endpoint WHERE id = @id", ("@id", endpointId));
        return await command.ReadFirstAsync(ReadEndpoint, cancellationToken);
    }

    public async Task<Page<WebhookEndpoint>> ListEndpointsAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = nextToken is null ? string.Empty : PageTokens.Decode(nextToken, 1)[0];
        await using var connection = await open(cancellationToken);
        await using var command = Command(
            connection,
            null,
            $"SELECT {EndpointColumns} FROM {prefix}webhook_endpoint WHERE id > @after ORDER BY id LIMIT @take",
            ("@after", after),
            ("@take", limit + 1));
        return await command.ReadPageAsync(limit, ReadEndpoint, endpoint => PageTokens.Encode(endpoint.Id), cancellationToken);
    }

    public async Task<bool> DeleteEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await beginWrite(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, $"DELETE FROM {prefix}webhook_delivery WHERE endpoint_id = @id", cancellationToken, ("@id", endpointId));
        await ExecuteAsync(connection, transaction, $"DELETE FROM {prefix}webhook_cursor WHERE endpoint_id = @id", cancellationToken, ("@id", endpointId));
        var deleted = await ExecuteAsync(connection, transaction, $"DELETE FROM {prefix}webhook_endpoint WHERE id = @id", cancellationToken, ("@id", endpointId));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<WebhookCursor>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = Command(
            connection,
            null,
            $"""
            SELECT e.id, s.tenant_id, COALESCE(c.delivered_sequence, 0), COALESCE(c.attempt, 0)
            FROM {prefix}webhook_endpoint e
            CROSS JOIN {prefix}outbox_sequence s
            LEFT JOIN {prefix}webhook_cursor c ON c.endpoint_id = e.id AND c.tenant_id = s.tenant_id
            WHERE e.enabled = @enabled
              AND s.last_sequence > COALESCE(c.delivered_sequence, 0)
              AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= @now)
              AND (c.claimed_until IS NULL OR c.claimed_until <= @now)
              AND NOT EXISTS (SELECT 1 FROM {prefix}onboarding_journal j WHERE j.tenant_id = s.tenant_id)
            ORDER BY e.id, s.tenant_id
            LIMIT @take
            """,
            ("@enabled", true),
            ("@now", storedTime(now)),
            ("@take", limit));
        return await command.ReadAllAsync(reader => new WebhookCursor(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)), cancellationToken);
    }

    public async Task<bool> TryClaimAsync(WebhookCursor cursor, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await beginWrite(connection, cancellationToken);
        await ExecuteAsync(
            connection,
            transaction,
            $"""
            INSERT INTO {prefix}webhook_cursor (endpoint_id, tenant_id, delivered_sequence, attempt) VALUES (@endpoint, @tenant, 0, 0)
            ON CONFLICT (endpoint_id, tenant_id) DO NOTHING
            """,
            cancellationToken,
            ("@endpoint", cursor.EndpointId),
            ("@tenant", cursor.TenantId));
        var claimed = await ExecuteAsync(
            connection,
            transaction,
            $"""
            UPDATE {prefix}webhook_cursor SET claimed_by = @owner, claimed_until = @until
            WHERE endpoint_id = @endpoint AND tenant_id = @tenant AND delivered_sequence = @delivered AND attempt = @attempt
              AND (claimed_until IS NULL OR claimed_until <= @now)
            """,
            cancellationToken,
            ("@owner", owner),
            ("@until", storedTime(until)),
            ("@endpoint", cursor.EndpointId),
            ("@tenant", cursor.TenantId),
            ("@delivered", cursor.DeliveredSequence),
            ("@attempt", cursor.Attempt),
            ("@now", storedTime(now)));
        await transaction.CommitAsync(cancellationToken);
        return claimed == 1;
    }

    public async Task<bool> AdvanceAsync(WebhookCursor moved, string owner, DateTimeOffset? heldUntil, WebhookDelivery? delivery, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await beginWrite(connection, cancellationToken);
        var held = heldUntil is { } until
            ? await ExecuteAsync(
                connection,
                transaction,
                $"""
                UPDATE {prefix}webhook_cursor SET delivered_sequence = @delivered, attempt = @attempt, next_attempt_at = @next, claimed_until = @until
                WHERE endpoint_id = @endpoint AND tenant_id = @tenant AND claimed_by = @owner
                """,
                cancellationToken,
                Cursor(moved, owner, ("@until", storedTime(until))))
            : await ExecuteAsync(
                connection,
                transaction,
                $"""
                UPDATE {prefix}webhook_cursor SET delivered_sequence = @delivered, attempt = @attempt, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL
                WHERE endpoint_id = @endpoint AND tenant_id = @tenant AND claimed_by = @owner
                """,
                cancellationToken,
                Cursor(moved, owner));
        if (held == 1 && delivery is not null)
        {
            await InsertDeliveryAsync(connection, transaction, delivery, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return held == 1;
    }

    public async Task AppendDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await beginWrite(connection, cancellationToken);
        await InsertDeliveryAsync(connection, transaction, delivery, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Page<WebhookDelivery>> ListDeliveriesAsync(string endpointId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = nextToken is null ? null : PageTokens.Decode(nextToken, 2);
        await using var connection = await open(cancellationToken);
        await using var command = Command(
            connection,
            null,
            after is null
                ? $"SELECT {DeliveryColumns} FROM {prefix}webhook_delivery WHERE endpoint_id = @endpoint ORDER BY time DESC, id DESC LIMIT @take"
                : $"SELECT {DeliveryColumns} FROM {prefix}webhook_delivery WHERE endpoint_id = @endpoint AND (time, id) < (@afterTime, @afterId) ORDER BY time DESC, id DESC LIMIT @take",
            ("@endpoint", endpointId),
            ("@afterTime", after is null ? null : storedTime(TokenTime(after[0]))),
            ("@afterId", after?[1]),
            ("@take", limit + 1));
        return await command.ReadPageAsync(limit, ReadDelivery, delivery => PageTokens.Encode(StoredTime.Format(delivery.Time), delivery.Id), cancellationToken);
    }

    public async Task<OutboxEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = Command(
            connection, null, $"SELECT id, type, tenant_id, sequence, time, data FROM {prefix}outbox_event WHERE id = @id", ("@id", eventId));
        return await command.ReadFirstAsync(
            reader => new OutboxEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), readTime(reader, 4), reader.GetString(5)),
            cancellationToken);
    }

    public async Task<int> PruneOutboxAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await beginWrite(connection, cancellationToken);
        var pruned = await ExecuteAsync(
            connection,
            transaction,
            $"""
            DELETE FROM {prefix}outbox_event AS o
            WHERE o.time < @before
              AND NOT EXISTS (
                SELECT 1 FROM {prefix}webhook_endpoint e
                LEFT JOIN {prefix}webhook_cursor c ON c.endpoint_id = e.id AND c.tenant_id = o.tenant_id
                WHERE COALESCE(c.delivered_sequence, 0) < o.sequence)
            """,
            cancellationToken,
            ("@before", storedTime(before)));
        await transaction.CommitAsync(cancellationToken);
        return pruned;
    }

    private static DateTimeOffset TokenTime(string text)
    {
        try
        {
            return StoredTime.Parse(text);
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException();
        }
    }

    private (string, object?)[] Cursor(WebhookCursor next, string owner, params (string, object?)[] more) =>
    [
        ("@delivered", next.DeliveredSequence),
        ("@attempt", next.Attempt),
        ("@next", next.NextAttemptAt is { } due ? storedTime(due) : null),
        ("@endpoint", next.EndpointId),
        ("@tenant", next.TenantId),
        ("@owner", owner),
        .. more,
    ];

    private Task<int> InsertDeliveryAsync(DbConnection connection, DbTransaction transaction, WebhookDelivery delivery, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            transaction,
            $"INSERT INTO {prefix}webhook_delivery ({DeliveryColumns}) VALUES (@id, @endpoint, @event, @type, @tenant, @attempt, @outcome, @status, @error, @excerpt, @time, @next)",
            cancellationToken,
            ("@id", delivery.Id),
            ("@endpoint", delivery.EndpointId),
            ("@event", delivery.EventId),
            ("@type", delivery.EventType),
            ("@tenant", delivery.TenantId),
            ("@attempt", delivery.Attempt),
            ("@outcome", delivery.Outcome),
            ("@status", delivery.Status),
            ("@error", delivery.Error),
            ("@excerpt", delivery.ResponseExcerpt),
            ("@time", storedTime(delivery.Time)),
            ("@next", delivery.NextAttemptAt is { } next ? storedTime(next) : null));

    private WebhookEndpoint ReadEndpoint(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), StoredJson.Default.IReadOnlyListString),
        readTime(reader, 4),
        reader.GetBoolean(5));

    private WebhookDelivery ReadDelivery(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.NullableString(4),
        reader.GetInt32(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7),
        reader.NullableString(8),
        reader.NullableString(9),
        readTime(reader, 10),
        reader.IsDBNull(11) ? null : readTime(reader, 11));
}
