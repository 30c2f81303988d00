using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>The parent database as one SQLite file, <c>catalog.db</c>.</summary>
public sealed class SqliteTenantCatalog(string dataDirectory) : ITenantCatalog
{
    private readonly string _connectionString = Sqlite.ConnectionString(Path.Combine(dataDirectory, "catalog.db"), pooling: true);

    /// <summary>The numbered migrations of catalog.db.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Storage/Embedded/Migrations/Catalog/");

    /// <summary>The audit rows of the catalog, and of a tenant file (the same table, unqualified).</summary>
    internal static readonly ChangeRows Changes = new(string.Empty, time => StoredTime.Format(time), ReadTime);

    private CoordinationRows Coordination => field ??= new(
        string.Empty, "min", "max", async cancellationToken => await Sqlite.OpenAsync(_connectionString, cancellationToken), time => StoredTime.Format(time));

    /// <summary>The webhooks' tables of <c>catalog.db</c> (<see cref="WebhookRows"/>).</summary>
    public static IWebhookStore WebhookStore(string dataDirectory)
    {
        var connectionString = Sqlite.ConnectionString(Path.Combine(dataDirectory, "catalog.db"), pooling: true);
        return new WebhookRows(
            string.Empty,
            async cancellationToken => await Sqlite.OpenAsync(connectionString, cancellationToken),
            (connection, _) => Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginWrite()),
            time => StoredTime.Format(time),
            ReadTime);
    }

    public async Task<SchemaUpgrade> InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using (var wal = connection.Command("PRAGMA journal_mode = WAL"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        return await SqliteMigrator.UpgradeAsync(connection, Migrations, "tenant", "catalog.db", cancellationToken);
    }

    public async Task<bool> TryInsertTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO tenant ({TenantRow.Columns}, name_key) VALUES (@id, @name, @email, @phone, @address, @tier, @status, @created, @updated, @key)",
            null,
            TenantParameters(tenant));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            return false;
        }
    }

    public async Task<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command($"SELECT {TenantRow.ReadColumns} FROM tenant WHERE id = @id", null, ("@id", tenantId));
        return await command.ReadFirstAsync(ReadTenant, cancellationToken);
    }

    public async Task<Page<Tenant>> ListTenantsAsync(TenantQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        return await Listing(query).ReadPageAsync(connection, limit, nextToken, ReadTime, cancellationToken);
    }

    public async Task<int> CountTenantsAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        return await Listing(query).CountAsync(connection, cancellationToken);
    }

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
        WriteTenantAsync(tenantId, TenantRow.OffboardingAssignments(status, offboarding, time => StoredTime.Format(time)), updatedAt, expectedUpdatedAt, record, cancellationToken);

    public async Task WriteTombstoneAsync(string tenantId, DateTimeOffset updatedAt, ChangeRecord? record, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        int purged;
        await using (var command = connection.Command(
            $"""
            DELETE FROM tenant_user WHERE tenant_id = @id AND EXISTS (SELECT 1 FROM tenant WHERE id = @id AND status = 'Purging');
            UPDATE tenant SET status = 'Purged', name_key = name_key || @separator || id, {TenantRow.ErasedOnPurge}, updated_at = @updated
            WHERE id = @id AND status = 'Purging';
            SELECT changes();
            """,
            transaction,
            ("@id", tenantId),
            ("@separator", TenantNames.TombstoneSeparator),
            ("@updated", StoredTime.Format(updatedAt))))
        {
            purged = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (purged > 0)
        {
            await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        await using (var command = connection.Command(
            "DELETE FROM tenant_user WHERE tenant_id = @id; DELETE FROM tenant WHERE id = @id; DELETE FROM outbox_event WHERE tenant_id = @id; DELETE FROM outbox_sequence WHERE tenant_id = @id;",
            transaction,
            ("@id", tenantId)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UpsertTenantUserAsync(TenantUserMapping mapping, ChangeRecord? record, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        await using (var command = connection.Command(
            """
            INSERT INTO tenant_user (user_name, tenant_id, enabled) VALUES (@user, @tenant, @enabled)
            ON CONFLICT (user_name) DO UPDATE SET tenant_id = excluded.tenant_id, enabled = excluded.enabled
            """,
            transaction,
            ("@user", mapping.UserName),
            ("@tenant", mapping.TenantId),
            ("@enabled", mapping.Enabled ? 1 : 0)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<TenantUserMapping?> GetTenantUserAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command(
            "SELECT tenant_id, user_name, enabled FROM tenant_user WHERE user_name = @user", null, ("@user", userName));
        return await command.ReadFirstAsync(reader => new TenantUserMapping(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)), cancellationToken);
    }

    public async Task<Page<TenantUserMapping>> ListTenantUsersAsync(string tenantId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command(
            "SELECT tenant_id, user_name, enabled FROM tenant_user WHERE tenant_id = @tenant AND user_name > @after ORDER BY user_name LIMIT @take",
            null,
            ("@tenant", tenantId),
            ("@after", nextToken is null ? string.Empty : PageTokens.Decode(nextToken, 1)[0]),
            ("@take", limit + 1));
        return await command.ReadPageAsync(limit, reader => new TenantUserMapping(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)), mapping => PageTokens.Encode(mapping.UserName), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> SetTenantUsersEnabledAsync(
        string tenantId, bool enabled, ChangeRecord? record, IReadOnlyDictionary<string, LifecycleEvent>? changeEvents, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        List<string> changed;
        await using (var command = connection.Command(
            "UPDATE tenant_user SET enabled = @enabled WHERE tenant_id = @tenant AND enabled <> @enabled RETURNING user_name",
            transaction,
            ("@tenant", tenantId),
            ("@enabled", enabled ? 1 : 0)))
        {
            changed = await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
        }

        List<string> names;
        await using (var command = connection.Command("SELECT user_name FROM tenant_user WHERE tenant_id = @tenant", transaction, ("@tenant", tenantId)))
        {
            names = await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
        }

        await Changes.WriteAsync(connection, transaction, record?.WithEventsOf(changed, changeEvents), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return names;
    }

    public async Task RemoveTenantUserAsync(string userName, ChangeRecord? record, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        await using (var command = connection.Command("DELETE FROM tenant_user WHERE user_name = @user", transaction, ("@user", userName)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        return await Changes.ListAsync(connection, query, limit, nextToken, cancellationToken);
    }

    public async Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        return await Changes.PruneAsync(connection, before, cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxEvent>> ListOutboxAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        return await Changes.ListOutboxAsync(connection, tenantId, afterSequence, limit, cancellationToken);
    }

    public async Task WriteJournalAsync(OnboardingJournal journal, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO onboarding_journal (tenant_id, tenant_name, instance_id, steps, updated_at)
            VALUES (@tenant, @name, @instance, @steps, @updated)
            ON CONFLICT (tenant_id) DO UPDATE SET steps = excluded.steps, updated_at = excluded.updated_at,
                instance_id = excluded.instance_id
            """,
            null,
            ("@tenant", journal.TenantId),
            ("@name", journal.TenantName),
            ("@instance", journal.InstanceId),
            ("@steps", JsonSerializer.Serialize(journal.StepsStarted, StoredJson.Default.IReadOnlyListString)),
            ("@updated", StoredTime.Format(journal.UpdatedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteJournalAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command("DELETE FROM onboarding_journal WHERE tenant_id = @tenant", null, ("@tenant", tenantId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OnboardingJournal>> ListJournalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command(
            "SELECT tenant_id, tenant_name, instance_id, steps, updated_at FROM onboarding_journal ORDER BY updated_at");
        return await command.ReadAllAsync(
            reader => new OnboardingJournal(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                JsonSerializer.Deserialize(reader.GetString(3), StoredJson.Default.StringArray) ?? [],
                ReadTime(reader, 4)),
            cancellationToken);
    }

    /// <summary>None kept: one process serves the embedded store, and its own evictions are exact (docs/scaling.md).</summary>
    public Task<long> GetAccessRevisionAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task BumpAccessRevisionAsync(string tenantId, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool SharedByInstances => false;

    public Task<int> TakePermitsAsync(string key, DateTimeOffset windowStart, int permitLimit, int wanted, CancellationToken cancellationToken) =>
        Coordination.TakePermitsAsync(key, windowStart, permitLimit, wanted, cancellationToken);

    public Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        Coordination.TryTakeLeaseAsync(name, holder, now, duration, cancellationToken);

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.Command("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// One UPDATE statement: the version check, the unique name and the write are one atomic step; the record goes in
    /// the same transaction when the row changed.
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
            "tenant", tenantId, assignments, StoredTime.Format(updatedAt), expectedUpdatedAt is { } expected ? StoredTime.Format(expected) : null);
        await using var connection = await Sqlite.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = connection.BeginWrite();
        TenantUpdateResult result;
        await using (var command = connection.Command(sql, transaction, parameters))
        {
            result = await TenantRow.ApplyUpdateAsync(
                command, "tenant", tenantId, expectedUpdatedAt is not null, e => e is SqliteException sqlite && sqlite.IsUniqueViolation(), ReadTime, cancellationToken);
        }

        if (result.Outcome == TenantUpdateOutcome.Updated)
        {
            await Changes.WriteAsync(connection, transaction, record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static (string Name, object? Value)[] TenantParameters(Tenant tenant) => TenantRow.Parameters(tenant, time => StoredTime.Format(time));

    private static Tenant ReadTenant(DbDataReader reader) => TenantRow.Read(reader, ReadTime);

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => StoredTime.Parse(reader.GetString(ordinal));

    private static TenantListing Listing(TenantQuery query) => new("tenant", query, Sqlite.Contains, time => StoredTime.Format(time));
}
