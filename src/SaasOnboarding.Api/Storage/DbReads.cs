using System.Data.Common;

namespace SaasOnboarding.Api.Storage;

/// <summary>Reading rows from an ADO.NET command: the one way the SQLite and PostgreSQL adapters walk a result.</summary>
internal static class DbReads
{
    /// <summary>The first row, read by <paramref name="read"/>, or null when there is none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    /// <summary>Every row, each read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(read(reader));
        }

        return items;
    }

    /// <summary>
    /// A page from a listing that asks for <paramref name="limit"/> + 1 rows in its sort order: a row beyond the
    /// limit means there is a next page, which starts after the last item kept (<paramref name="tokenOf"/>).
    /// </summary>
    public static async Task<Page<T>> ReadPageAsync<T>(
        this DbCommand command, int limit, Func<DbDataReader, T> read, Func<T, string> tokenOf, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                return new Page<T>(items, tokenOf(items[^1]));
            }

            items.Add(read(reader));
        }

        return new Page<T>(items, null);
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
