using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Testing;

/// <summary>Reads an app's SQLite files directly (the catalog, the local identity provider), without a pool.</summary>
public static class SqliteQueries
{
    /// <summary>The first column of every row <paramref name="sql"/> answers in <paramref name="database"/>, as text.</summary>
    public static List<string> Strings(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    /// <summary>The one number <paramref name="sql"/> answers (a count) in <paramref name="database"/>.</summary>
    public static int Count(string database, string sql) => int.Parse(Strings(database, sql)[0], CultureInfo.InvariantCulture);
}
