using System.Data.Common;
using System.Text;
using static SaasOnboarding.Api.Storage.SqlCommands;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A <see cref="ChangeRecord"/> as rows of the SQL catalogs (SQLite and PostgreSQL): the audit entry, and each
/// event with its tenant's next sequence, written inside the transaction of the change; and the audit listing.
/// Named once so that the two stores cannot drift apart; each says how it keeps a time and where its tables are.
/// </summary>
internal sealed class ChangeRows(string prefix, Func<DateTimeOffset, object> storedTime, Func<DbDataReader, int, DateTimeOffset> readTime)
{
    private const string AuditColumns = "id, time, actor, actor_pool, tenant_id, action, target, outcome, status, client_address, trace_id";

    /// <summary>Writes <paramref name="record"/> in <paramref name="transaction"/>; nothing when it is null.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, ChangeRecord? record, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            return;
        }

        await WriteEntryAsync(connection, transaction, record.Audit, cancellationToken);
        foreach (var change in record.Events)
        {
            // The upsert's row lock orders two writers of one tenant; the unique (tenant, sequence) backs it.
            await using var command = Command(
                connection,
                transaction,
                $"""
                INSERT INTO {prefix}outbox_sequence (tenant_id, last_sequence) VALUES (@tenant, 1)
                ON CONFLICT (tenant_id) DO UPDATE SET last_sequence = {prefix}outbox_sequence.last_sequence + 1
                RETURNING last_sequence
                """,
                ("@tenant", change.TenantId));
            var sequence = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            await ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO {prefix}outbox_event (id, tenant_id, sequence, type, time, data) VALUES (@id, @tenant, @sequence, @type, @time, @data)",
                cancellationToken,
                ("@id", change.Id),
                ("@tenant", change.TenantId),
                ("@sequence", sequence),
                ("@type", change.Type),
                ("@time", storedTime(change.Time)),
                ("@data", change.Data));
        }
    }

    /// <summary>Writes one audit entry in <paramref name="transaction"/>: a change's, or a tenant database's entry of its own change.</summary>
    public Task<int> WriteEntryAsync(DbConnection connection, DbTransaction transaction, AuditEntry audit, CancellationToken cancellationToken) => ExecuteAsync(
        connection,
        transaction,
        $"INSERT INTO {prefix}audit_entry ({AuditColumns}) VALUES (@id, @time, @actor, @pool, @tenant, @action, @target, @outcome, @status, @client, @trace)",
        cancellationToken,
        ("@id", audit.Id),
        ("@time", storedTime(audit.Time)),
        ("@actor", audit.Actor),
        ("@pool", audit.ActorPool),
        ("@tenant", audit.TenantId),
        ("@action", audit.Action),
        ("@target", audit.Target),
        ("@outcome", audit.Outcome),
        ("@status", audit.Status),
        ("@client", audit.ClientAddress),
        ("@trace", audit.TraceId));

    /// <summary>
    /// Audit entries matching <paramref name="query"/>, newest first; the page token names the last one's time and
    /// id. In <paramref name="transaction"/> when one is given (a PostgreSQL tenant's scope lasts for it).
    /// </summary>
    public async Task<Page<AuditEntry>> ListAsync(
        DbConnection connection, AuditQuery query, int limit, string? nextToken, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = nextToken is null ? null : PageTokens.Decode(nextToken, 2);
        var conditions = new List<string>();
        var parameters = new List<(string, object?)> { ("@take", limit + 1) };
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                conditions.Add(condition);
                parameters.Add((name, value));
            }
        }

        Add("tenant_id = @tenant", "@tenant", query.TenantId);
        Add("actor = @actor", "@actor", query.Actor);
        Add("action = @action", "@action", query.Action);
        Add("time >= @from", "@from", query.From is { } from ? storedTime(from) : null);
        Add("time < @to", "@to", query.To is { } to ? storedTime(to) : null);
        if (after is not null)
        {
            conditions.Add("(time, id) < (@afterTime, @afterId)");
            parameters.Add(("@afterTime", storedTime(ParseTokenTime(after[0]))));
            parameters.Add(("@afterId", after[1]));
        }

        if (query.Before is { } before)
        {
            conditions.Add("(time, id) < (@beforeTime, @beforeId)");
            parameters.Add(("@beforeTime", storedTime(before.Time)));
            parameters.Add(("@beforeId", before.Id));
        }

        var sql = new StringBuilder($"SELECT {AuditColumns} FROM {prefix}audit_entry");
        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }

        sql.Append(" ORDER BY time DESC, id DESC LIMIT @take");
        await using var command = Command(connection, transaction, sql.ToString(), [.. parameters]);
        return await command.ReadPageAsync(limit, ReadAudit, entry => PageTokens.Encode(StoredTime.Format(entry.Time), entry.Id), cancellationToken);
    }

    public async Task<int> PruneAsync(DbConnection connection, DateTimeOffset before, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        await using var command = Command(connection, transaction, $"DELETE FROM {prefix}audit_entry WHERE time < @before", ("@before", storedTime(before)));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxEvent>> ListOutboxAsync(DbConnection connection, string tenantId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            null,
            $"SELECT id, type, tenant_id, sequence, time, data FROM {prefix}outbox_event WHERE tenant_id = @tenant AND sequence > @after ORDER BY sequence LIMIT @take",
            ("@tenant", tenantId),
            ("@after", afterSequence),
            ("@take", limit));
        return await command.ReadAllAsync(
            reader => new OutboxEvent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), readTime(reader, 4), reader.GetString(5)),
            cancellationToken);
    }

    private AuditEntry ReadAudit(DbDataReader reader) => new(
        reader.GetString(0),
        readTime(reader, 1),
        reader.GetString(2),
        reader.NullableString(3),
        reader.NullableString(4),
        reader.GetString(5),
        reader.NullableString(6),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetInt32(8),
        reader.NullableString(9),
        reader.NullableString(10));

    private static DateTimeOffset ParseTokenTime(string text)
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
}
