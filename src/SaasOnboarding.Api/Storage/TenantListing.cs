using System.Data.Common;
using System.Globalization;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A tenants listing in the SQL catalogs (SQLite and PostgreSQL), written once: the conditions of a
/// <see cref="TenantQuery"/>, its order, the count of every page, and page tokens that carry the query's
/// <see cref="TenantQuery.Fingerprint"/>, the sort keys of the last tenant and its id. Each store says how a column
/// is searched for a text and how it keeps a time.
/// </summary>
internal sealed class TenantListing
{
    private readonly string _table;
    private readonly TenantQuery _query;
    private readonly string[] _sortColumns;
    private readonly Func<DateTimeOffset, object> _storedTime;
    private readonly List<string> _conditions = [];
    private readonly List<(string Name, object? Value)> _parameters = [];

    /// <param name="table">The tenant table.</param>
    /// <param name="query">What to list.</param>
    /// <param name="contains">The SQL of "the column holds the parameter's text", given the column and the parameter, matched literally.</param>
    /// <param name="storedTime">A time as the store keeps it.</param>
    public TenantListing(string table, TenantQuery query, Func<string, string, string> contains, Func<DateTimeOffset, object> storedTime)
    {
        _table = table;
        _query = query;
        _storedTime = storedTime;
        _sortColumns = query.Sort switch
        {
            TenantSort.Created => ["created_at"],
            TenantSort.Tier => [TierRank, "name_key"],
            _ => ["name_key"],
        };
        if (query.Status is { } status)
        {
            _conditions.Add("status = @status");
            _parameters.Add(("@status", status.ToString()));
        }
        else
        {
            _conditions.Add("status NOT IN ('Provisioning', 'Purged')");
        }

        if (query.Tier is { } tier)
        {
            _conditions.Add("tenant_tier = @tier");
            _parameters.Add(("@tier", tier));
        }

        if (query is { NamePart: { } name, TextPart: { } text })
        {
            _conditions.Add($"({contains("name_key", "@name")} OR {contains("lower(tenant_email)", "@text")} OR {contains("id", "@text")})");
            _parameters.Add(("@name", name));
            _parameters.Add(("@text", text));
        }
    }

    /// <summary>How many tenants match, in every page.</summary>
    public async Task<int> CountAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Command(connection, null, $"SELECT count(*) FROM {_table} WHERE {string.Join(" AND ", _conditions)}", [.. _parameters]);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The page after <paramref name="nextToken"/> (or the first), at most <paramref name="limit"/> tenants.</summary>
    public async Task<Page<Tenant>> ReadPageAsync(
        DbConnection connection, int limit, string? nextToken, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var conditions = new List<string>(_conditions);
        var parameters = new List<(string Name, object? Value)>(_parameters) { ("@take", limit + 1) };
        var direction = _query.Descending ? "DESC" : "ASC";
        var columns = string.Join(", ", [.. _sortColumns, "id"]);
        if (nextToken is not null)
        {
            var keys = PageTokens.Decode(nextToken, _sortColumns.Length + 2);
            if (!string.Equals(keys[0], _query.Fingerprint, StringComparison.Ordinal))
            {
                throw new InvalidPageTokenException();
            }

            var names = new List<string>();
            for (var index = 0; index < _sortColumns.Length + 1; index++)
            {
                var value = keys[index + 1];
                names.Add("@after" + index);
                var column = index < _sortColumns.Length ? _sortColumns[index] : "id";
                parameters.Add(("@after" + index, column == "created_at" ? _storedTime(TokenTime(value)) : column == TierRank ? TokenRank(value) : value));
            }

            conditions.Add($"({columns}) {(_query.Descending ? "<" : ">")} ({string.Join(", ", names)})");
        }

        await using var command = SqlCommands.Command(
            connection,
            null,
            $"""
            SELECT {TenantRow.ReadColumns}, name_key FROM {_table}
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY {string.Join(", ", columns.Split(", ").Select(column => column + " " + direction))}
            LIMIT @take
            """,
            [.. parameters]);
        var page = await command.ReadPageAsync(
            limit,
            reader => (Tenant: TenantRow.Read(reader, time), Key: reader.GetString(14)),
            last => PageTokens.Encode([_query.Fingerprint, .. SortKeys(last.Tenant, last.Key), last.Tenant.Id]),
            cancellationToken);
        return new Page<Tenant>([.. page.Items.Select(row => row.Tenant)], page.NextToken);
    }

    /// <summary>A tier's place among the plans, Basic first; a tier that is not a plan sorts after them.</summary>
    private static readonly string TierRank =
        "CASE tenant_tier " + string.Concat(Tenants.TenantTiers.All.Select((tier, rank) => $"WHEN '{tier}' THEN {rank} ")) + $"ELSE {Tenants.TenantTiers.All.Count} END";

    private static int Rank(string tier) => Tenants.TenantTiers.All.TakeWhile(plan => plan != tier).Count();

    private string[] SortKeys(Tenant tenant, string nameKey) => _query.Sort switch
    {
        TenantSort.Created => [StoredTime.Format(tenant.CreatedAt)],
        TenantSort.Tier => [Rank(tenant.TenantTier).ToString(CultureInfo.InvariantCulture), nameKey],
        _ => [nameKey],
    };

    private static int TokenRank(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rank) ? rank : throw new InvalidPageTokenException();

    private static DateTimeOffset TokenTime(string text)
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
