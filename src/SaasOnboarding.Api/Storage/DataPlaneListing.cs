namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A products or orders listing in the SQL tenant databases (SQLite and PostgreSQL), written once: the conditions of
/// a <see cref="ProductQuery"/> or <see cref="OrderQuery"/>, the order (products oldest first, orders newest first,
/// by creation time and then id, which an index on those two columns serves either way), and page tokens that carry
/// the query's fingerprint, the creation time of the last row and its id. Each store says how a column is searched
/// for a text and how it keeps a time, and makes each of its listings once: the SQL of every shape of query (with or
/// without a status, with or without a search, first page or a later one) is built then, so that a page only picks
/// its statement and binds the parameters it has.
/// </summary>
internal sealed class DataPlaneListing
{
    private const int Status = 1;
    private const int Text = 2;
    private const int After = 4;

    private readonly Func<DateTimeOffset, object> _storedTime;

    /// <summary>The SQL of each shape, indexed by its <see cref="Status"/>, <see cref="Text"/> and <see cref="After"/> bits.</summary>
    private readonly string[] _sql = new string[8];

    private DataPlaneListing(
        string select,
        string suffix,
        string timeColumn,
        bool newestFirst,
        string? statusCondition,
        string textCondition,
        Func<DateTimeOffset, object> storedTime)
    {
        _storedTime = storedTime;
        var direction = newestFirst ? " DESC" : "";
        var after = $"({timeColumn}, id) {(newestFirst ? "<" : ">")} (@afterTime, @afterId)";
        for (var shape = 0; shape < _sql.Length; shape++)
        {
            if ((shape & Status) != 0 && statusCondition is null)
            {
                continue;
            }

            var conditions = new List<string>();
            if ((shape & Status) != 0)
            {
                conditions.Add(statusCondition!);
            }

            if ((shape & Text) != 0)
            {
                conditions.Add(textCondition);
            }

            if ((shape & After) != 0)
            {
                conditions.Add(after);
            }

            var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions) + " ";
            _sql[shape] = $"{select}{where}ORDER BY {timeColumn}{direction}, id{direction}{suffix}";
        }
    }

    /// <param name="select">What comes before the WHERE, with its trailing space (the columns and the table); may be empty.</param>
    /// <param name="suffix">What comes after the ORDER BY (a LIMIT, with its leading space); may be empty.</param>
    /// <param name="contains">
    /// The SQL of "the column, in lower case, holds the parameter's text", given the column and the parameter: the
    /// parameter is the search's own text, already in lower case (<see cref="ListSearch.Text"/>), matched literally.
    /// </param>
    /// <param name="storedTime">A time as the store keeps it.</param>
    public static DataPlaneListing Products(
        string select, string suffix, Func<string, string, string> contains, Func<DateTimeOffset, object> storedTime) =>
        new(select, suffix, "created_at", newestFirst: false, statusCondition: null, $"({contains("name", "@text")} OR {contains("sku", "@text")})", storedTime);

    /// <inheritdoc cref="Products"/>
    public static DataPlaneListing Orders(
        string select, string suffix, Func<string, string, string> contains, Func<DateTimeOffset, object> storedTime) =>
        new(
            select,
            suffix,
            "creation_date",
            newestFirst: true,
            "status = @status",
            $"({contains("order_name", "@text")} OR {contains("id", "@text")} OR EXISTS (SELECT 1 FROM order_line WHERE order_line.order_id = customer_order.id "
            + $"AND ({contains("order_line.product_name", "@text")} OR {contains("order_line.product_sku", "@text")})))",
            storedTime);

    /// <summary>
    /// The statement of the page after <paramref name="nextToken"/> (or of the first page) of <paramref name="query"/>,
    /// and its parameters. A token of another listing, or not a token, throws <see cref="InvalidPageTokenException"/>.
    /// </summary>
    public (string Sql, (string Name, object? Value)[] Parameters) Page(ProductQuery query, string? nextToken) =>
        Page(null, query.TextPart, nextToken, nextToken is null ? null : query.Fingerprint);

    /// <inheritdoc cref="Page(ProductQuery, string?)"/>
    public (string Sql, (string Name, object? Value)[] Parameters) Page(OrderQuery query, string? nextToken) =>
        Page(query.Status, query.TextPart, nextToken, nextToken is null ? null : query.Fingerprint);

    /// <summary>
    /// The token of the page after the row created at <paramref name="created"/> (<see cref="StoredTime.Format"/>)
    /// with <paramref name="id"/>, in the listing of the query whose fingerprint is <paramref name="fingerprint"/>.
    /// </summary>
    public static string NextToken(string fingerprint, string created, string id) => PageTokens.Encode(fingerprint, created, id);

    /// <inheritdoc cref="NextToken(string, string, string)"/>
    public static string NextToken(string fingerprint, DateTimeOffset created, string id) => NextToken(fingerprint, StoredTime.Format(created), id);

    // fingerprint: the query's, computed by the caller only when there is a token to check.
    private (string Sql, (string Name, object? Value)[] Parameters) Page(string? status, string? text, string? nextToken, string? fingerprint)
    {
        var shape = (status is null ? 0 : Status) | (text is null ? 0 : Text) | (nextToken is null ? 0 : After);
        if (shape == 0)
        {
            return (_sql[0], []);
        }

        var parameters = new (string Name, object? Value)[int.PopCount(shape & (Status | Text)) + ((shape & After) != 0 ? 2 : 0)];
        var next = 0;
        if (status is not null)
        {
            parameters[next++] = ("@status", status);
        }

        if (text is not null)
        {
            parameters[next++] = ("@text", text);
        }

        if (nextToken is not null)
        {
            var keys = PageTokens.Decode(nextToken, 3);
            if (!string.Equals(keys[0], fingerprint, StringComparison.Ordinal))
            {
                throw new InvalidPageTokenException();
            }

            parameters[next++] = ("@afterTime", _storedTime(TokenTime(keys[1])));
            parameters[next] = ("@afterId", keys[2]);
        }

        return (_sql[shape], parameters);
    }

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
