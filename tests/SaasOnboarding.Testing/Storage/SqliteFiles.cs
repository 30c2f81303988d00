using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Testing;

/// <summary>Reads a tenant's SQLite file directly, bypassing the app, to see where rows really are.</summary>
internal static class SqliteFiles
{
    /// <summary>Rows of <paramref name="table"/> whose <c>sku</c> (products) or <c>order_name</c> (orders) is <paramref name="key"/>.</summary>
    public static async Task<long> CountRowsAsync(string path, string table, string key)
    {
        Assert.True(File.Exists(path), $"{path} does not exist.");
        var column = table switch
        {
            "product" => "sku",
            "customer_order" => "order_name",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
        };
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The table and column come from the switch above, not from input.
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {column} = @key";
#pragma warning restore CA2100
        command.Parameters.AddWithValue("@key", key);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement on the file directly, as a tool (or an older build of the app) would.</summary>
    public static async Task ExecuteAsync(string path, string sql)
    {
        Assert.True(File.Exists(path), $"{path} does not exist.");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Test statements, written in the tests.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, read from the file directly.</summary>
    public static async Task<object?> ScalarAsync(string path, string sql)
    {
        Assert.True(File.Exists(path), $"{path} does not exist.");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Test statements, written in the tests.
        command.CommandText = sql;
#pragma warning restore CA2100
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The version the file records (PRAGMA user_version).</summary>
    public static async Task<long> UserVersionAsync(string path) => (long)(await ScalarAsync(path, "PRAGMA user_version"))!;

    /// <summary>Every table and index definition of the file, in one string: equal strings, equal schemas.</summary>
    public static async Task<string> SchemaAsync(string path) =>
        (string)(await ScalarAsync(path, "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master ORDER BY name)"))!;

    public static async Task<bool> HasIndexAsync(string path, string index) =>
        (long)(await ScalarAsync(path, $"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'"))! == 1;

    /// <summary>Runs statements on a file, making it if it is missing (a fixture the test builds).</summary>
    public static async Task CreateAsync(string path, string sql)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Test statements, written in the tests.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }
}
