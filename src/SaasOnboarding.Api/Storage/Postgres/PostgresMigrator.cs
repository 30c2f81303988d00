using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>
/// Brings one PostgreSQL schema (the catalog, or a tenant's) to the latest version of its
/// <see cref="SchemaMigrations"/>. The version is the one row of <c>&lt;schema&gt;.schema_version</c>. Each migration
/// runs in its own transaction together with the version bump, under an advisory lock per schema, so concurrent
/// upgraders (instances starting together, the <c>migrate</c> command) take turns and a crash leaves the schema at
/// the last finished step. A schema with no version table but with the sentinel table was made before versions
/// were recorded, with the schema of migration 1.
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>
    /// Upgrades <paramref name="schema"/> (the catalog, or <c>tenant_&lt;id&gt;</c>), running the scripts as
    /// <paramref name="role"/> (the tenant's role, which owns its schema; null: the app's role).
    /// </summary>
    public static async Task<SchemaUpgrade> UpgradeAsync(
        NpgsqlDataSource dataSource, SchemaMigrations migrations, string schema, string? role, string sentinelTable, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        int from;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await SetRoleAsync(connection, transaction, role, cancellationToken);
            (from, var recorded) = await VersionAsync(connection, transaction, schema, sentinelTable, cancellationToken);
            Refuse(from, migrations, schema);
            if (!recorded && from == 1)
            {
                // Tables but no version: version 1, recorded first, so that the schema says what it is
                // even if a later step fails.
                await connection.ExecuteAsync(
                    "SELECT pg_advisory_xact_lock(hashtextextended('schema_version:' || @schema, 0))", transaction, cancellationToken, ("@schema", schema));
                await connection.ExecuteAsync(Scope(schema, role) + Record(1), transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }

        foreach (var migration in migrations.After(from))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(
                "SELECT pg_advisory_xact_lock(hashtextextended('schema_version:' || @schema, 0))", transaction, cancellationToken, ("@schema", schema));
            await SetRoleAsync(connection, transaction, role, cancellationToken);
            var (version, _) = await VersionAsync(connection, transaction, schema, sentinelTable, cancellationToken);
            Refuse(version, migrations, schema);
            if (version >= migration.Version)
            {
                continue;
            }

            try
            {
                await connection.ExecuteAsync(Scope(schema, role) + Script(migration), transaction, cancellationToken);
            }
            catch (PostgresException e)
            {
                throw new SchemaMigrationException(
                    $"Migration {migration.Name} of schema {schema} failed; it stays at version {version}: {e.MessageText}", e);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return new SchemaUpgrade(from, Math.Max(from, migrations.Latest));
    }

    /// <summary>
    /// Every migration and the latest version, as one script to run inside the transaction that creates the schema
    /// (already scoped to it): a new schema is made at the latest version, completely or not at all.
    /// </summary>
    public static string CreateScript(SchemaMigrations migrations) => string.Concat(migrations.All.Select(Script));

    private static async Task SetRoleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? role, CancellationToken cancellationToken)
    {
        if (role is not null)
        {
            await connection.ExecuteAsync($"SET LOCAL ROLE {Postgres.Identifier(role)}", transaction, cancellationToken);
        }
    }

    /// <summary>Sets the search path for the rest of the transaction (the role is set already); a new catalog schema is created first.</summary>
    private static string Scope(string schema, string? role)
    {
        var name = Postgres.Identifier(schema);
        return role is null
            ? $"CREATE SCHEMA IF NOT EXISTS {name}; SET LOCAL search_path = {name}, pg_temp;\n"
            : $"SET LOCAL search_path = {name}, pg_temp;\n";
    }

    /// <summary>The migration's own text, then the version it brings the schema to (in the schema on the search path).</summary>
    private static string Script(SchemaMigration migration) => migration.Text + "\n" + Record(migration.Version);

    private static string Record(int version) => $"""
        CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);
        DELETE FROM schema_version;
        INSERT INTO schema_version (version) VALUES ({version});

        """;

    /// <summary>The recorded version; else 1 for a schema with tables but no version, 0 when it is new or absent.</summary>
    public static async Task<(int Version, bool Recorded)> VersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, string sentinelTable, CancellationToken cancellationToken)
    {
        await using (var command = connection.Command(
            "SELECT to_regclass(@versionTable) IS NOT NULL, to_regclass(@sentinel) IS NOT NULL",
            transaction,
            ("@versionTable", Postgres.Identifier(schema) + ".schema_version"),
            ("@sentinel", Postgres.Identifier(schema) + "." + sentinelTable)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            var hasVersion = reader.GetBoolean(0);
            var hasSentinel = reader.GetBoolean(1);
            if (!hasVersion)
            {
                return (hasSentinel ? 1 : 0, false);
            }
        }

        await using var read = connection.Command($"SELECT max(version) FROM {Postgres.Identifier(schema)}.schema_version", transaction);
        return (await read.ExecuteScalarAsync(cancellationToken) is int version ? version : 0, true);
    }

    private static void Refuse(int version, SchemaMigrations migrations, string schema)
    {
        if (version > migrations.Latest)
        {
            throw new SchemaMigrationException(
                $"Schema {schema} is at version {version}, newer than this build of the app knows ({migrations.Latest}).");
        }
    }
}
