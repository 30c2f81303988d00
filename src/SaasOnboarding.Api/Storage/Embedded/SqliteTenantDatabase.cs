using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>
/// Products and orders in one tenant's SQLite file. The file's path is fixed when the instance is opened, so no
/// call on it can reach another tenant's rows.
/// </summary>
public sealed class SqliteTenantDatabase : ITenantDatabase
{
    private const string ProductColumns =
        "id, name, description, sku, price_cents, quantity, backordered_limit, created_at, updated_at";

    private readonly string _path;
    private readonly SqliteChildConnections _connections;

    internal SqliteTenantDatabase(string tenantId, string path, SqliteChildConnections connections)
    {
        TenantId = tenantId;
        _path = path;
        _connections = connections;
    }

    public string TenantId { get; }

    public async Task<Page<Product>> ListProductsAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = nextToken is null ? null : PageTokens.Decode(nextToken, 2);
        await using var connection = await OpenAsync(cancellationToken);
        // No LIMIT: SQLite plans a bound LIMIT anew on every run, which would undo the kept prepared statement.
        // The index streams rows in order and the loop stops at limit + 1.
        await using var command = after is null
            ? connection.Command($"SELECT {ProductColumns} FROM product ORDER BY created_at, id")
            : connection.Command(
                $"SELECT {ProductColumns} FROM product WHERE (created_at, id) > (@afterCreated, @afterId) ORDER BY created_at, id",
                null,
                ("@afterCreated", after[0]),
                ("@afterId", after[1]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<Product>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                return new Page<Product>(items, PageTokens.Encode(StoredTime.Format(items[^1].CreatedAt), items[^1].Id));
            }

            items.Add(ReadProduct(reader));
        }

        return new Page<Product>(items, null);
    }

    public async Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadProductAsync(connection, null, productId, cancellationToken);
    }

    public async Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken)
    {
        var now = StoredTime.Format(DateTimeOffset.UtcNow);
        var id = Guid.NewGuid().ToString("N");
        await using var connection = await OpenAsync(cancellationToken);

        // Under the write lock, the SKU check and the insert cannot interleave with another writer's.
        await using var transaction = connection.BeginWrite();
        if (await SkuTakenAsync(connection, transaction, draft.Sku, null, cancellationToken))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }

        await using var command = connection.Command(
            $"""
            INSERT INTO product ({ProductColumns})
            VALUES (@id, @name, @description, @sku, @price, @quantity, @limit, @now, @now)
            RETURNING {ProductColumns}
            """,
            transaction,
            [("@id", id), ("@now", now), .. DraftParameters(draft)]);
        Product product;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            product = ReadProduct(reader);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ProductWrite(WriteOutcome.Done, product);
    }

    public async Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        var current = await ReadProductAsync(connection, transaction, productId, cancellationToken);
        if (current is null)
        {
            return new ProductWrite(WriteOutcome.NotFound);
        }

        if (expectedVersion is not null && current.Version != expectedVersion)
        {
            return new ProductWrite(WriteOutcome.PreconditionFailed);
        }

        if (await SkuTakenAsync(connection, transaction, draft.Sku, productId, cancellationToken))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }

        await using var command = connection.Command(
            $"""
            UPDATE product SET name = @name, description = @description, sku = @sku, price_cents = @price,
                quantity = @quantity, backordered_limit = @limit, updated_at = @now
            WHERE id = @id
            RETURNING {ProductColumns}
            """,
            transaction,
            [("@id", productId), ("@now", NextStamp(current.UpdatedAt)), .. DraftParameters(draft)]);
        Product product;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            product = ReadProduct(reader);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ProductWrite(WriteOutcome.Done, product);
    }

    public async Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken)
    {
        // Order lines keep a copy of the product's name, SKU, description and price, so orders outlive it.
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        var current = await ReadProductAsync(connection, transaction, productId, cancellationToken);
        if (current is null)
        {
            return WriteOutcome.NotFound;
        }

        if (expectedVersion is not null && current.Version != expectedVersion)
        {
            return WriteOutcome.PreconditionFailed;
        }

        await using (var command = connection.Command("DELETE FROM product WHERE id = @id", transaction, ("@id", productId)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return WriteOutcome.Done;
    }

    public async Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = nextToken is null ? null : PageTokens.Decode(nextToken, 2);
        await using var connection = await OpenAsync(cancellationToken);

        // One snapshot for the orders and their lines: a concurrent delete cannot leave an order without lines.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var headers = new List<(string Id, string Name, string CreationDate, string Status)>();
        // No LIMIT, as for products: the loop stops at limit + 1.
        await using (var command = after is null
            ? connection.Command("SELECT id, order_name, creation_date, status FROM customer_order ORDER BY creation_date, id", transaction)
            : connection.Command(
                """
                SELECT id, order_name, creation_date, status FROM customer_order
                WHERE (creation_date, id) > (@afterCreated, @afterId)
                ORDER BY creation_date, id
                """,
                transaction,
                ("@afterCreated", after[0]),
                ("@afterId", after[1])))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (headers.Count <= limit && await reader.ReadAsync(cancellationToken))
            {
                headers.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var hasMore = headers.Count > limit;
        if (hasMore)
        {
            headers.RemoveAt(headers.Count - 1);
        }

        var lines = await ReadLinesAsync(connection, transaction, headers.Select(header => header.Id).ToArray(), cancellationToken);
        var orders = headers
            .Select(header => new Order(
                header.Id,
                header.Name,
                StoredTime.Parse(header.CreationDate),
                header.Status,
                lines.TryGetValue(header.Id, out var orderLines) ? orderLines : []))
            .ToList();
        return new Page<Order>(orders, hasMore ? PageTokens.Encode(headers[^1].CreationDate, headers[^1].Id) : null);
    }

    public async Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await ReadOrderAsync(connection, transaction, orderId, cancellationToken);
    }

    public async Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0 || lines.Any(line => line.Quantity < 1))
        {
            throw new ArgumentException("An order needs at least one line, each with a quantity of at least 1.", nameof(lines));
        }

        // The same product on two lines takes stock for both: check the sum, not each line alone.
        var wanted = lines
            .GroupBy(line => line.ProductId, StringComparer.Ordinal)
            .Select(group => (ProductId: group.Key, Quantity: group.Sum(line => (long)line.Quantity)))
            .ToList();

        var now = StoredTime.Format(DateTimeOffset.UtcNow);
        await using var connection = await OpenAsync(cancellationToken);

        // BEGIN IMMEDIATE: the stock read and its decrement happen under the write lock, so two orders for the
        // last unit queue instead of both seeing it. Returning before the commit rolls everything back.
        await using var transaction = connection.BeginWrite();
        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        foreach (var (productId, quantity) in wanted)
        {
            var product = await ReadProductAsync(connection, transaction, productId, cancellationToken);
            if (product is null)
            {
                return new OrderCreation(null, MissingProductId: productId);
            }

            if (product.Quantity < quantity)
            {
                return new OrderCreation(null, ShortProductId: productId, Available: product.Quantity);
            }

            products[productId] = product;
        }

        foreach (var (productId, quantity) in wanted)
        {
            await using var take = connection.Command(
                "UPDATE product SET quantity = quantity - @quantity, updated_at = @now WHERE id = @id",
                transaction,
                ("@id", productId),
                ("@quantity", quantity),
                ("@now", NextStamp(products[productId].UpdatedAt)));
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        var orderId = Guid.NewGuid().ToString("N");
        await using (var insert = connection.Command(
            "INSERT INTO customer_order (id, order_name, creation_date, status) VALUES (@id, @name, @created, @status)",
            transaction,
            ("@id", orderId),
            ("@name", orderName),
            ("@created", now),
            ("@status", OrderStatus.Processing)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // Each line is priced from the product as it is now, and keeps that copy when the product changes later.
        var orderLines = new List<OrderLine>(lines.Count);
        for (var lineNo = 0; lineNo < lines.Count; lineNo++)
        {
            var product = products[lines[lineNo].ProductId];
            var line = new OrderLine(product.Id, product.Name, product.Sku, product.Description, lines[lineNo].Quantity, product.Price);
            await using var insertLine = connection.Command(
                """
                INSERT INTO order_line (order_id, line_no, product_id, product_name, product_sku, product_description, quantity, price_cents)
                VALUES (@order, @lineNo, @product, @name, @sku, @description, @quantity, @price)
                """,
                transaction,
                ("@order", orderId),
                ("@lineNo", lineNo),
                ("@product", line.ProductId),
                ("@name", line.ProductName),
                ("@sku", line.ProductSku),
                ("@description", line.ProductDescription),
                ("@quantity", line.Quantity),
                ("@price", Cents(line.Price)));
            await insertLine.ExecuteNonQueryAsync(cancellationToken);
            orderLines.Add(line);
        }

        await transaction.CommitAsync(cancellationToken);
        return new OrderCreation(new Order(orderId, orderName, StoredTime.Parse(now), OrderStatus.Processing, orderLines));
    }

    public async Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (status is not null && !OrderStatus.All.Contains(status))
        {
            throw new ArgumentException($"'{status}' is not an order status.", nameof(status));
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        var current = await ReadOrderHeaderAsync(connection, transaction, orderId, cancellationToken);
        if (current is not var (currentName, currentStatus))
        {
            return new OrderWrite(WriteOutcome.NotFound);
        }

        if (expectedVersion is not null && Order.VersionOf(currentStatus, currentName) != expectedVersion)
        {
            return new OrderWrite(WriteOutcome.PreconditionFailed);
        }

        if (status is not null && !OrderStatus.CanMove(currentStatus, status))
        {
            return new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: currentStatus);
        }

        if (status is not null && status != currentStatus)
        {
            if (status == OrderStatus.Cancelled
                && await ReturnStockAsync(connection, transaction, orderId, cancellationToken) is { } overBound)
            {
                return new OrderWrite(WriteOutcome.BoundExceeded, ProductId: overBound);
            }

            await using var setStatus = connection.Command(
                "UPDATE customer_order SET status = @status WHERE id = @id", transaction, ("@id", orderId), ("@status", status));
            await setStatus.ExecuteNonQueryAsync(cancellationToken);
        }

        if (orderName is not null)
        {
            await using var rename = connection.Command(
                "UPDATE customer_order SET order_name = @name WHERE id = @id", transaction, ("@id", orderId), ("@name", orderName));
            await rename.ExecuteNonQueryAsync(cancellationToken);
        }

        var order = await ReadOrderAsync(connection, transaction, orderId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new OrderWrite(WriteOutcome.Done, order);
    }

    public async Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        var current = await ReadOrderHeaderAsync(connection, transaction, orderId, cancellationToken);
        if (current is not var (currentName, currentStatus))
        {
            return new OrderWrite(WriteOutcome.NotFound);
        }

        if (expectedVersion is not null && Order.VersionOf(currentStatus, currentName) != expectedVersion)
        {
            return new OrderWrite(WriteOutcome.PreconditionFailed);
        }

        // Stock of a processing order has not left the warehouse; a cancelled order gave it back already, and a
        // shipped or delivered one took it for real.
        if (currentStatus == OrderStatus.Processing
            && await ReturnStockAsync(connection, transaction, orderId, cancellationToken) is { } overBound)
        {
            return new OrderWrite(WriteOutcome.BoundExceeded, ProductId: overBound);
        }

        await using (var delete = connection.Command(
            "DELETE FROM order_line WHERE order_id = @id; DELETE FROM customer_order WHERE id = @id;", transaction, ("@id", orderId)))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new OrderWrite(WriteOutcome.Done);
    }

    /// <summary>Money is stored as integer cents; a price with more than two decimal places is refused, never rounded.</summary>
    internal static long Cents(decimal price)
    {
        var cents = price * 100m;
        return price >= 0 && cents == decimal.Truncate(cents) && cents <= long.MaxValue
            ? decimal.ToInt64(cents)
            : throw new ArgumentOutOfRangeException(nameof(price), price, "A price is zero or more, with at most two decimal places.");
    }

    /// <summary>Multiplying by 0.01m keeps a scale of two, so 1050 cents reads back as 10.50, not 10.5.</summary>
    internal static decimal FromCents(long cents) => cents * 0.01m;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _connections.RentAsync(_path, cancellationToken);
        }
        catch (SqliteException e) when (e.IsCannotOpen())
        {
            throw new InvalidOperationException($"Tenant {TenantId} has no child database.", e);
        }
    }

    private static (string, object?)[] DraftParameters(ProductDraft draft) =>
    [
        ("@name", draft.Name),
        ("@description", draft.Description),
        ("@sku", draft.Sku),
        ("@price", Cents(draft.Price)),
        ("@quantity", draft.Quantity),
        ("@limit", draft.BackorderedLimit),
    ];

    private static async Task<Product?> ReadProductAsync(SqliteConnection connection, SqliteTransaction? transaction, string productId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {ProductColumns} FROM product WHERE id = @id", transaction, ("@id", productId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadProduct(reader) : null;
    }

    private static Product ReadProduct(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.NullableString(2),
        reader.GetString(3),
        FromCents(reader.GetInt64(4)),
        reader.GetInt64(5),
        reader.GetInt64(6),
        StoredTime.Parse(reader.GetString(7)),
        StoredTime.Parse(reader.GetString(8)));

    private static async Task<(string Name, string Status)?> ReadOrderHeaderAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT order_name, status FROM customer_order WHERE id = @id", transaction, ("@id", orderId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// Whether another product (not <paramref name="exceptId"/>) has this SKU, ignoring the case of ASCII letters.
    /// The same <c>lower(sku)</c> expression as the unique index of newer files, which it uses; files made before
    /// that index are checked by a scan, under the same write lock.
    /// </summary>
    private static async Task<bool> SkuTakenAsync(SqliteConnection connection, SqliteTransaction transaction, string sku, string? exceptId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            "SELECT 1 FROM product WHERE lower(sku) = lower(@sku) AND (@except IS NULL OR id <> @except)",
            transaction,
            ("@sku", sku),
            ("@except", exceptId));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// The updated_at of a write: now, or one microsecond after the stored one when the clock has not moved past
    /// it, so that every write changes the product's version.
    /// </summary>
    private static string NextStamp(DateTimeOffset previous)
    {
        var now = DateTimeOffset.UtcNow;
        var floor = previous.AddTicks(TimeSpan.TicksPerMicrosecond);
        return StoredTime.Format(now >= floor ? now : floor);
    }

    private static async Task<Order?> ReadOrderAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        Order? order = null;
        await using (var command = connection.Command(
            "SELECT id, order_name, creation_date, status FROM customer_order WHERE id = @id", transaction, ("@id", orderId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            order = new Order(reader.GetString(0), reader.GetString(1), StoredTime.Parse(reader.GetString(2)), reader.GetString(3), []);
        }

        var lines = await ReadLinesAsync(connection, transaction, [orderId], cancellationToken);
        return order with { OrderProducts = lines.TryGetValue(orderId, out var orderLines) ? orderLines : [] };
    }

    private static async Task<Dictionary<string, List<OrderLine>>> ReadLinesAsync(
        SqliteConnection connection, SqliteTransaction transaction, string[] orderIds, CancellationToken cancellationToken)
    {
        var lines = new Dictionary<string, List<OrderLine>>(StringComparer.Ordinal);
        if (orderIds.Length == 0)
        {
            return lines;
        }

        await using var command = connection.Command(
            """
            SELECT order_id, product_id, product_name, product_sku, product_description, quantity, price_cents
            FROM order_line
            WHERE order_id IN (SELECT value FROM json_each(@ids))
            ORDER BY order_id, line_no
            """,
            transaction,
            ("@ids", System.Text.Json.JsonSerializer.Serialize(orderIds)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var orderId = reader.GetString(0);
            if (!lines.TryGetValue(orderId, out var orderLines))
            {
                lines[orderId] = orderLines = [];
            }

            orderLines.Add(new OrderLine(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.NullableString(4),
                reader.GetInt32(5),
                FromCents(reader.GetInt64(6))));
        }

        return lines;
    }

    /// <summary>
    /// Gives every line's quantity back to its product; a product deleted since has nothing to take it. Null when
    /// done; the id of a product whose stock would pass <see cref="DataPlaneLimits.MaxStock"/> when refused, and
    /// then nothing was written.
    /// </summary>
    private static async Task<string?> ReturnStockAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        var returns = new List<(string ProductId, long Quantity, DateTimeOffset UpdatedAt)>();
        await using (var command = connection.Command(
            """
            SELECT product.id, product.quantity + returned.returned_quantity, product.updated_at
            FROM product
            JOIN (SELECT product_id, SUM(quantity) AS returned_quantity FROM order_line WHERE order_id = @id GROUP BY product_id) AS returned
              ON product.id = returned.product_id
            ORDER BY product.id
            """,
            transaction,
            ("@id", orderId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                returns.Add((reader.GetString(0), reader.GetInt64(1), StoredTime.Parse(reader.GetString(2))));
            }
        }

        if (returns.FirstOrDefault(item => item.Quantity > DataPlaneLimits.MaxStock) is { ProductId: { } overBound })
        {
            return overBound;
        }

        foreach (var (productId, quantity, updatedAt) in returns)
        {
            await using var command = connection.Command(
                "UPDATE product SET quantity = @quantity, updated_at = @now WHERE id = @id",
                transaction,
                ("@id", productId),
                ("@quantity", quantity),
                ("@now", NextStamp(updatedAt)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return null;
    }
}
