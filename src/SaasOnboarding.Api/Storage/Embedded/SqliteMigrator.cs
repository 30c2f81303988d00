using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>
/// Brings one SQLite file to the latest version of its <see cref="SchemaMigrations"/>. The version is the file's
/// <c>PRAGMA user_version</c> (0 in a new file). Each migration runs in its own write transaction together with
/// the version bump, so a crash leaves the file at the last finished step and the next upgrade goes on from
/// there. A file with no version but with <c>sentinelTable</c> has the schema of
/// migration 1.
/// </summary>
internal static class SqliteMigrator
{
    public static async Task<SchemaUpgrade> UpgradeAsync(
        SqliteConnection connection, SchemaMigrations migrations, string sentinelTable, string databaseName, CancellationToken cancellationToken)
    {
        var (from, recorded) = await VersionAsync(connection, null, sentinelTable, cancellationToken);
        Refuse(from, migrations, databaseName);
        if (from == migrations.Latest && recorded)
        {
            return new SchemaUpgrade(from, from);
        }

        if (!recorded && from == 1)
        {
            // Tables but no version: version 1, recorded first, so that the file says what it is even
            // if a later step fails.
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version = 1";
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var migration in migrations.After(from))
        {
            // BEGIN IMMEDIATE: another process upgrading the same file waits here, and then sees its work.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var (version, _) = await VersionAsync(connection, transaction, sentinelTable, cancellationToken);
            Refuse(version, migrations, databaseName);
            if (version >= migration.Version)
            {
                continue;
            }

            try
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = migration.Text + $"\nPRAGMA user_version = {migration.Version};";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException e)
            {
                throw new SchemaMigrationException(
                    $"Migration {migration.Name} of {databaseName} failed; it stays at version {version}: {e.Message}", e);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return new SchemaUpgrade(from, migrations.Latest);
    }

    /// <summary>The recorded version; else 1 for a file with tables but no version, 0 for an empty file.</summary>
    public static async Task<(int Version, bool Recorded)> VersionAsync(SqliteConnection connection, SqliteTransaction? transaction, string sentinelTable, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (version != 0)
        {
            return (version, true);
        }

        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
        command.Parameters.AddWithValue("@name", sentinelTable);
        return ((long)(await command.ExecuteScalarAsync(cancellationToken))! > 0 ? 1 : 0, false);
    }

    private static void Refuse(int version, SchemaMigrations migrations, string databaseName)
    {
        if (version > migrations.Latest)
        {
            throw new SchemaMigrationException(
                $"{databaseName} is at schema version {version}, newer than this build of the app knows ({migrations.Latest}).");
        }
    }
}
