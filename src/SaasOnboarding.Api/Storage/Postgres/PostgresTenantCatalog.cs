using System.Data.Common;
using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>The parent database as the <c>catalog</c> schema: tenants, tenant-user mappings, onboarding journal.</summary>
/// <remarks>
/// Tenant roles get no privilege on this schema, so a child-scoped session cannot read it. Sort keys use the
/// "C" collation so that listing order and page tokens do not depend on the server's locale.
/// </remarks>
public sealed class PostgresTenantCatalog(NpgsqlDataSource dataSource) : ITenantCatalog
{
    /// <summary>The numbered migrations of the catalog schema.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Storage/Postgres/Migrations/Catalog/");

    private static readonly ChangeRows Changes = new("catalog.", time => Postgres.ToStored(time), Postgres.Timestamp);

    private readonly CoordinationRows _coordination = new(
        "catalog.", "LEAST", "GREATEST", async cancellationToken => await dataSource.OpenConnectionAsync(cancellationToken), time => Postgres.ToStored(time));

    /// <summary>The webhooks' tables of the catalog schema (<see cref="WebhookRows"/>).</summary>
    public static IWebhookStore WebhookStore(NpgsqlDataSource dataSource) => new WebhookRows(
        "catalog.",
        async cancellationToken => await dataSource.OpenConnectionAsync(cancellationToken),
        async (connection, cancellationToken) => await connection.BeginTransactionAsync(cancellationToken),
        time => Postgres.ToStored(time),
        Postgres.Timestamp);

    // Lambda cold starts may initialize the same database at once: the migrator's lock per schema orders them.
    public Task<SchemaUpgrade> InitializeAsync(CancellationToken cancellationToken) =>
        PostgresMigrator.UpgradeAsync(dataSource, Migrations, "catalog", null, "tenant", cancellationToken);

    public async Task<bool> TryInsertTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Only the name decides a conflict here; a repeated id is a bug and should fail loudly.
        var inserted = await connection.ExecuteAsync(
            $"""
            INSERT INTO catalog.tenant ({TenantRow.Columns}, name_key)
            VALUES (@id, @name, @email, @phone, @address, @tier, @status, @created, @updated, @key)
            ON CONFLICT (name_key) DO NOTHING
            """,
            null,
            cancellationToken,
            TenantParameters(tenant));
        return inserted == 1;
    }

    public async Task<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {TenantRow.ReadColumns} FROM catalog.tenant WHERE id = @id", null, ("@id", tenantId));
        return await command.ReadFirstAsync(ReadTenant, cancellationToken);
    }

    public async Task<Page<Tenant>> ListTenantsAsync(TenantQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Listing(query).ReadPageAsync(connection, limit, nextToken, Postgres.Timestamp, cancellationToken);
    }

    public async Task<int> CountTenantsAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Listing(query).CountAsync(connection, cancellationToken);
    }

    /// <summary>strpos, not LIKE: a search is matched literally, with no wildcard characters to escape.</summary>
    private static TenantListing Listing(TenantQuery query) => new(
        "catalog.tenant", query, (column, parameter) => $"strpos({column}, {parameter}) > 0", time => Postgres.ToStored(time));

    public Task<TenantUpdateResult> UpdateTenantAsync(
        string tenantId, TenantChanges changes, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken) =>
        WriteTenantAsync(tenantId, TenantRow.Assignments(changes), updatedAt, expectedUpdatedAt, record, cancellationToken);

    public Task<TenantUpdateResult> SetTenantStatusAsync(
        string tenantId, TenantStatus status, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken) =>
        WriteTenantAsync(tenantId, [("status", status.ToString())], updatedAt, expectedUpdatedAt, record, cancellationToken);

    public Task<TenantUpdateResult> SetOffboardingAsync(
        string tenantId,
        TenantStatus status,
        TenantOffboarding? offboarding,
        DateTimeOffset updatedAt,
        DateTimeOffset? expectedUpdatedAt,
        ChangeRecord? record,
        CancellationToken cancellationToken) =>
        WriteTenantAsync(tenantId, TenantRow.OffboardingAssignments(status, offboarding, time => Postgres.ToStored(time)), updatedAt, expectedUpdatedAt, record, cancellationToken);

    public async Task WriteTombstoneAsync(string tenantId, DateTimeOffset updatedAt, ChangeRecord? record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The row lock the UPDATE takes orders two purges finishing at once; the second finds it purged.
        await using (var command = connection.Command(
            $"""
            WITH purged AS (
                UPDATE catalog.tenant SET status = 'Purged', name_key = name_key || @separator || id, {TenantRow.ErasedOnPurge}, updated_at = @updated
                WHERE id = @id AND status = 'Purging'
                RETURNING id),
            dropped AS (DELETE FROM catalog.tenant_user WHERE tenant_id IN (SELECT id FROM purged))
            SELECT count(*) FROM purged;
            """,
            transaction,
            ("@id", tenantId),
            ("@separator", TenantNames.TombstoneSeparator),
            ("@updated", Postgres.ToStored(updatedAt))))
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is long and > 0)
            {
                await Changes.WriteAsync(connection, transaction, record, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            DELETE FROM catalog.tenant_user WHERE tenant_id = @id; DELETE FROM catalog.tenant WHERE id = @id;
            DELETE FROM catalog.outbox_event WHERE tenant_id = @id; DELETE FROM catalog.outbox_sequence WHERE tenant_id = @id;
            """,
            transaction,
            cancellationToken,
            ("@id", tenantId));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UpsertTenantUserAsync(TenantUserMapping mapping, ChangeRecord? record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO catalog.tenant_user (user_name, tenant_id, enabled) VALUES (@user, @tenant, @enabled)
            ON CONFLICT (user_name) DO UPDATE SET tenant_id = excluded.tenant_id, enabled = excluded.enabled
            """,
            transaction,
            cancellationToken,
            ("@user", mapping.UserName),
            ("@tenant", mapping.TenantId),
            ("@enabled", mapping.Enabled));
        await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<TenantUserMapping?> GetTenantUserAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT tenant_id, user_name, enabled FROM catalog.tenant_user WHERE user_name = @user", null, ("@user", userName));
        return await command.ReadFirstAsync(reader => new TenantUserMapping(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)), cancellationToken);
    }

    public async Task<Page<TenantUserMapping>> ListTenantUsersAsync(string tenantId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT tenant_id, user_name, enabled FROM catalog.tenant_user WHERE tenant_id = @tenant AND user_name > @after ORDER BY user_name LIMIT @take",
            null,
            ("@tenant", tenantId),
            ("@after", nextToken is null ? string.Empty : PageTokens.Decode(nextToken, 1)[0]),
            ("@take", limit + 1));
        return await command.ReadPageAsync(limit, reader => new TenantUserMapping(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)), mapping => PageTokens.Encode(mapping.UserName), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> SetTenantUsersEnabledAsync(
        string tenantId, bool enabled, ChangeRecord? record, IReadOnlyDictionary<string, LifecycleEvent>? changeEvents, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Only the mappings in the other state are updated (each locked, and checked again after a concurrent
        // change commits), so each change of state is written, with its event, once.
        List<string> changed;
        await using (var command = connection.Command(
            "UPDATE catalog.tenant_user SET enabled = @enabled WHERE tenant_id = @tenant AND enabled <> @enabled RETURNING user_name",
            transaction,
            ("@tenant", tenantId),
            ("@enabled", enabled)))
        {
            changed = await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
        }

        List<string> names;
        await using (var command = connection.Command("SELECT user_name FROM catalog.tenant_user WHERE tenant_id = @tenant", transaction, ("@tenant", tenantId)))
        {
            names = await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
        }

        await Changes.WriteAsync(connection, transaction, record?.WithEventsOf(changed, changeEvents), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return names;
    }

    public async Task RemoveTenantUserAsync(string userName, ChangeRecord? record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM catalog.tenant_user WHERE user_name = @user", transaction, cancellationToken, ("@user", userName));
        await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Changes.ListAsync(connection, query, limit, nextToken, cancellationToken);
    }

    public async Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Changes.PruneAsync(connection, before, cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxEvent>> ListOutboxAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Changes.ListOutboxAsync(connection, tenantId, afterSequence, limit, cancellationToken);
    }

    public async Task WriteJournalAsync(OnboardingJournal journal, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO catalog.onboarding_journal (tenant_id, tenant_name, instance_id, steps, updated_at)
            VALUES (@tenant, @name, @instance, @steps, @updated)
            ON CONFLICT (tenant_id) DO UPDATE SET steps = excluded.steps, updated_at = excluded.updated_at,
                instance_id = excluded.instance_id
            """,
            null,
            cancellationToken,
            ("@tenant", journal.TenantId),
            ("@name", journal.TenantName),
            ("@instance", journal.InstanceId),
            ("@steps", journal.StepsStarted.ToArray()),
            ("@updated", Postgres.ToStored(journal.UpdatedAt)));
    }

    public async Task DeleteJournalAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM catalog.onboarding_journal WHERE tenant_id = @tenant", null, cancellationToken, ("@tenant", tenantId));
    }

    public async Task<IReadOnlyList<OnboardingJournal>> ListJournalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT tenant_id, tenant_name, instance_id, steps, updated_at FROM catalog.onboarding_journal ORDER BY updated_at, tenant_id");
        return await command.ReadAllAsync(
            reader => new OnboardingJournal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.Timestamp(4)),
            cancellationToken);
    }

    /// <summary>The tenant <c>@tenant</c>'s access revision: one row, or none before the first change (revision 0).</summary>
    internal const string AccessRevisionSql = "SELECT revision FROM catalog.access_revision WHERE tenant_id = @tenant";

    public async Task<long> GetAccessRevisionAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(AccessRevisionSql, null, ("@tenant", tenantId));
        return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : 0;
    }

    public async Task BumpAccessRevisionAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO catalog.access_revision (tenant_id, revision) VALUES (@tenant, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET revision = catalog.access_revision.revision + 1
            """,
            null,
            cancellationToken,
            ("@tenant", tenantId));
    }

    public Task<int> TakePermitsAsync(string key, DateTimeOffset windowStart, int permitLimit, int wanted, CancellationToken cancellationToken) =>
        _coordination.TakePermitsAsync(key, windowStart, permitLimit, wanted, cancellationToken);

    public Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        _coordination.TryTakeLeaseAsync(name, holder, now, duration, cancellationToken);

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static (string Name, object? Value)[] TenantParameters(Tenant tenant) => TenantRow.Parameters(tenant, time => Postgres.ToStored(time));

    /// <summary>
    /// One UPDATE statement: the row lock it takes makes the version check, the unique name and the write one
    /// atomic step. The row it returns carries <c>updated_at</c> as stored (microseconds). The record goes in the
    /// same transaction when the row changed.
    /// </summary>
    private async Task<TenantUpdateResult> WriteTenantAsync(
        string tenantId,
        IReadOnlyList<(string Column, object? Value)> assignments,
        DateTimeOffset updatedAt,
        DateTimeOffset? expectedUpdatedAt,
        ChangeRecord? record,
        CancellationToken cancellationToken)
    {
        var (sql, parameters) = TenantRow.Update(
            "catalog.tenant", tenantId, assignments, Postgres.ToStored(updatedAt), expectedUpdatedAt is { } expected ? Postgres.ToStored(expected) : null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A unique violation aborts the transaction: its commit then rolls back, and the record is not written.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        TenantUpdateResult result;
        await using (var command = connection.Command(sql, transaction, parameters))
        {
            result = await TenantRow.ApplyUpdateAsync(
                command, "catalog.tenant", tenantId, expectedUpdatedAt is not null, e => e is PostgresException postgres && postgres.IsUniqueViolation(), Postgres.Timestamp, cancellationToken);
        }

        if (result.Outcome == TenantUpdateOutcome.Updated)
        {
            await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static Tenant ReadTenant(DbDataReader reader) => TenantRow.Read(reader, Postgres.Timestamp);
}
