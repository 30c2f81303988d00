namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A products or orders listing in the SQL tenant databases (SQLite and PostgreSQL), written once: the conditions of
/// a <see cref="ProductQuery"/> or <see cref="OrderQuery"/>, the order (products oldest first, orders newest first,
/// by creation time and then id, which an index on those two columns serves either way), and page tokens that carry
/// the query's fingerprint, the creation time of the last row and its id. Each store says how a column is searched
/// for a text and how it keeps a time.
/// </summary>
internal sealed class DataPlaneListing
{
    private readonly string _fingerprint;
    private readonly string _timeColumn;
    private readonly bool _newestFirst;
    private readonly List<string> _conditions = [];
    private readonly List<(string Name, object? Value)> _parameters = [];

    private DataPlaneListing(string fingerprint, string timeColumn, bool newestFirst)
    {
        _fingerprint = fingerprint;
        _timeColumn = timeColumn;
        _newestFirst = newestFirst;
    }

    /// <param name="query">What to list.</param>
    /// <param name="contains">The SQL of "the column, in lower case, holds the parameter's text", given the column and the parameter.</param>
    /// <param name="pattern">The value of that parameter for a text (<see cref="ListSearch.Text"/>).</param>
    public static DataPlaneListing Products(ProductQuery query, Func<string, string, string> contains, Func<string, string> pattern)
    {
        var listing = new DataPlaneListing(query.Fingerprint, "created_at", newestFirst: false);
        if (query.TextPart is { } text)
        {
            listing._conditions.Add($"({contains("name", "@text")} OR {contains("sku", "@text")})");
            listing._parameters.Add(("@text", pattern(text)));
        }

        return listing;
    }

    /// <inheritdoc cref="Products"/>
    public static DataPlaneListing Orders(OrderQuery query, Func<string, string, string> contains, Func<string, string> pattern)
    {
        var listing = new DataPlaneListing(query.Fingerprint, "creation_date", newestFirst: true);
        if (query.Status is { } status)
        {
            listing._conditions.Add("status = @status");
            listing._parameters.Add(("@status", status));
        }

        if (query.TextPart is { } text)
        {
            listing._conditions.Add(
                $"({contains("order_name", "@text")} OR {contains("id", "@text")} OR EXISTS (SELECT 1 FROM order_line WHERE order_line.order_id = customer_order.id "
                + $"AND ({contains("order_line.product_name", "@text")} OR {contains("order_line.product_sku", "@text")})))");
            listing._parameters.Add(("@text", pattern(text)));
        }

        return listing;
    }

    /// <summary>
    /// The WHERE and ORDER BY of the page after <paramref name="nextToken"/> (or of the first page), and their
    /// parameters; <paramref name="storedTime"/> is a time as the store keeps it. A token of another listing, or
    /// not a token, throws <see cref="InvalidPageTokenException"/>.
    /// </summary>
    public (string Sql, (string Name, object? Value)[] Parameters) Page(string? nextToken, Func<DateTimeOffset, object> storedTime)
    {
        var conditions = new List<string>(_conditions);
        var parameters = new List<(string Name, object? Value)>(_parameters);
        if (nextToken is not null)
        {
            var keys = PageTokens.Decode(nextToken, 3);
            if (!string.Equals(keys[0], _fingerprint, StringComparison.Ordinal))
            {
                throw new InvalidPageTokenException();
            }

            conditions.Add($"({_timeColumn}, id) {(_newestFirst ? "<" : ">")} (@afterTime, @afterId)");
            parameters.Add(("@afterTime", storedTime(TokenTime(keys[1]))));
            parameters.Add(("@afterId", keys[2]));
        }

        var direction = _newestFirst ? " DESC" : "";
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions) + " ";
        return (where + $"ORDER BY {_timeColumn}{direction}, id{direction}", [.. parameters]);
    }

    /// <summary>The token of the page after the row created at <paramref name="created"/> (<see cref="StoredTime.Format"/>) with <paramref name="id"/>.</summary>
    public string NextToken(string created, string id) => PageTokens.Encode(_fingerprint, created, id);

    /// <inheritdoc cref="NextToken(string, string)"/>
    public string NextToken(DateTimeOffset created, string id) => NextToken(StoredTime.Format(created), id);

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
