using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>Connection helpers shared by the embedded store's parent and child databases.</summary>
internal static class Sqlite
{
    // create: whether opening may make a missing file; when false, a missing file fails to open (SQLITE_CANTOPEN).
    public static string ConnectionString(string path, bool pooling, bool create = true) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = pooling,
        // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: this is the busy timeout.
        DefaultTimeout = 30,
    }.ToString();

    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        // A cached child connection hands out the command it keeps prepared for this SQL.
        SqliteCommand command;
        if (connection is SqliteChildConnections.ChildConnection child)
        {
            command = child.CommandFor(sql);
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// BEGIN IMMEDIATE takes the write lock up front, so two read-modify-write transactions queue instead of
    /// deadlocking on the lock upgrade.
    /// </summary>
    public static SqliteTransaction BeginWrite(this SqliteConnection connection) => connection.BeginTransaction(deferred: false);

    public static string? NullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>SQLITE_CANTOPEN: the file is missing (or unreadable).</summary>
    public static bool IsCannotOpen(this SqliteException exception) => exception.SqliteErrorCode == 14;

    public static bool IsUniqueViolation(this SqliteException exception) =>
        exception.SqliteErrorCode == 19 && exception.SqliteExtendedErrorCode is 2067 or 1555;
}
