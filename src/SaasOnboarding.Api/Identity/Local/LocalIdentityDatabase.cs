using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local identity provider's SQLite file, <c>local-idp.db</c>, in its data directory: users, groups, refresh
/// tokens, sign-in failures and the dev mailbox.
/// </summary>
public sealed class LocalIdentityDatabase
{
    /// <summary>The database's file name in <see cref="DataDirectory"/>.</summary>
    public const string FileName = "local-idp.db";

    private readonly string _connectionString;

    public LocalIdentityDatabase(IOptions<LocalIdentityOptions> options, IHostEnvironment environment)
    {
        DataDirectory = Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath);
        _connectionString = Sqlite.ConnectionString(Path.Combine(DataDirectory, FileName), pooling: true);
    }

    public string DataDirectory { get; }

    /// <summary>The numbered migrations of local-idp.db.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Identity/Local/Migrations/");

    /// <summary>Creates local-idp.db or brings it to the latest schema version.</summary>
    public async Task<SchemaUpgrade> InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        await using var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.Command("PRAGMA journal_mode = WAL"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        return await SqliteMigrator.UpgradeAsync(connection, Migrations, "user", FileName, cancellationToken);
    }

    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => Sqlite.OpenAsync(_connectionString, cancellationToken);
}
