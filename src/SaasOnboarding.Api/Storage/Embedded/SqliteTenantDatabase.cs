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

    private const string InsertProduct =
        $"INSERT INTO product ({ProductColumns}) VALUES (@id, @name, @description, @sku, @price, @quantity, @limit, @created, @updated)";

    // No LIMIT: SQLite plans a bound LIMIT anew on every run, which would undo the kept prepared statement.
    // The index streams rows in order and the loop stops at limit + 1.
    private static readonly DataPlaneListing ProductListing =
        DataPlaneListing.Products($"SELECT {ProductColumns} FROM product ", "", Sqlite.ContainsFolded, time => StoredTime.Format(time));

    private static readonly DataPlaneListing OrderListing =
        DataPlaneListing.Orders("SELECT id, order_name, creation_date, status FROM customer_order ", "", Sqlite.ContainsFolded, time => StoredTime.Format(time));

    private readonly string _path;
    private readonly SqliteChildConnections _connections;
    private readonly TimeProvider _time;
    private readonly DataPlaneAudit? _audit;

    internal SqliteTenantDatabase(string tenantId, string path, SqliteChildConnections connections, TimeProvider time, DataPlaneAudit? audit)
    {
        TenantId = tenantId;
        _audit = audit;
        _path = path;
        _connections = connections;
        _time = time;
    }

    private string TenantId { get; }

    public async Task<Page<Product>> ListProductsAsync(ProductQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (sql, parameters) = ProductListing.Page(query, nextToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<Product>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                return new Page<Product>(items, DataPlaneListing.NextToken(query.Fingerprint, items[^1].CreatedAt, items[^1].Id));
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
        // Stryker disable once String : ids are opaque and only unique (Fauna's are its document ids); another Guid format is as good.
        var product = Product.Create(Guid.NewGuid().ToString("N"), draft, _time.GetUtcNow());
        await using var connection = await OpenAsync(cancellationToken);

        // Under the write lock, the SKU check and the insert cannot interleave with another writer's.
        await using var transaction = connection.BeginWrite();
        if (await SkuTakenAsync(connection, transaction, draft.Sku, null, cancellationToken))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }

        var written = await SaveProductAsync(
            connection,
            transaction,
            InsertProduct,
            product,
            cancellationToken);
        await RecordAsync(connection, transaction, written.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ProductWrite(WriteOutcome.Done, written);
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

        if (!current.IsVersion(expectedVersion))
        {
            return new ProductWrite(WriteOutcome.PreconditionFailed);
        }

        if (await SkuTakenAsync(connection, transaction, draft.Sku, productId, cancellationToken))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }

        var written = await SaveProductAsync(
            connection,
            transaction,
            """
            UPDATE product SET name = @name, description = @description, sku = @sku, price_cents = @price,
                quantity = @quantity, backordered_limit = @limit, updated_at = @updated
            WHERE id = @id
            """,
            current.Revise(draft, _time.GetUtcNow()),
            cancellationToken);
        await RecordAsync(connection, transaction, productId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ProductWrite(WriteOutcome.Done, written);
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

        if (!current.IsVersion(expectedVersion))
        {
            return WriteOutcome.PreconditionFailed;
        }

        await using (var command = connection.Command("DELETE FROM product WHERE id = @id", transaction, ("@id", productId)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await RecordAsync(connection, transaction, productId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WriteOutcome.Done;
    }

    public async Task<Page<Order>> ListOrdersAsync(OrderQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (sql, parameters) = OrderListing.Page(query, nextToken);
        await using var connection = await OpenAsync(cancellationToken);

        // One snapshot for the orders and their lines: a concurrent delete cannot leave an order without lines.
        // Stryker disable once Boolean : an immediate transaction reads the same snapshot; deferred only spares writers a wait.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var headers = new List<(string Id, string Name, string CreationDate, string Status)>();
        // No LIMIT, as for products: the loop stops at limit + 1.
        await using (var command = connection.Command(sql, transaction, parameters))
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
        return new Page<Order>(orders, hasMore ? DataPlaneListing.NextToken(query.Fingerprint, headers[^1].CreationDate, headers[^1].Id) : null);
    }

    public async Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Stryker disable once Boolean : an immediate transaction reads the same snapshot; deferred only spares writers a wait.
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await ReadOrderAsync(connection, transaction, orderId, cancellationToken);
    }

    public async Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken)
    {
        // Stryker disable once Statement : Place checks the lines again inside the transaction; this only refuses them before a connection is taken.
        OrderPlacement.Check(lines);
        await using var connection = await OpenAsync(cancellationToken);

        // BEGIN IMMEDIATE: the stock read and its decrement happen under the write lock, so two orders for the
        // last unit queue instead of both seeing it. Returning before the commit rolls everything back.
        await using var transaction = connection.BeginWrite();
        var products = await ReadProductsAsync(
            connection, transaction, OrderPlacement.Needs(lines).Select(need => need.ProductId), cancellationToken);
        // Stryker disable once String : ids are opaque and only unique (Fauna's are its document ids); another Guid format is as good.
        var placement = OrderPlacement.Place(Guid.NewGuid().ToString("N"), orderName, lines, products, _time.GetUtcNow());
        if (placement.Outcome.Order is not { } order)
        {
            return placement.Outcome;
        }

        await SaveStockAsync(connection, transaction, placement.Products, cancellationToken);
        await InsertOrderAsync(connection, transaction, order, cancellationToken);
        await RecordAsync(connection, transaction, order.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return placement.Outcome;
    }

    public async Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        return await OrderChangeSteps.ApplyAsync(
            await ReadOrderHeadAsync(connection, transaction, orderId, cancellationToken),
            current => OrderChanges.Update(current, orderName, status, expectedVersion),
            () => ReturnStockAsync(connection, transaction, orderId, cancellationToken),
            async next =>
            {
                await using (var write = connection.Command(
                    "UPDATE customer_order SET order_name = @name, status = @status WHERE id = @id",
                    transaction,
                    ("@id", orderId),
                    ("@name", next.Name),
                    ("@status", next.Status)))
                {
                    await write.ExecuteNonQueryAsync(cancellationToken);
                }

                var order = await ReadOrderAsync(connection, transaction, orderId, cancellationToken);
                await RecordAsync(connection, transaction, orderId, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new OrderWrite(WriteOutcome.Done, order);
            });
    }

    public async Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        return await OrderChangeSteps.ApplyAsync(
            await ReadOrderHeadAsync(connection, transaction, orderId, cancellationToken),
            current => OrderChanges.Delete(current, expectedVersion),
            () => ReturnStockAsync(connection, transaction, orderId, cancellationToken),
            async _ =>
            {
                await using (var delete = connection.Command(
                    "DELETE FROM order_line WHERE order_id = @id; DELETE FROM customer_order WHERE id = @id;", transaction, ("@id", orderId)))
                {
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }

                await RecordAsync(connection, transaction, orderId, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new OrderWrite(WriteOutcome.Done);
            });
    }

    public async Task ImportAsync(IReadOnlyList<Product> products, IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginWrite();
        foreach (var product in products)
        {
            await SaveProductAsync(connection, transaction, InsertProduct, product, cancellationToken);
        }

        foreach (var order in orders)
        {
            await InsertOrderAsync(connection, transaction, order, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await SqliteTenantCatalog.Changes.ListAsync(connection, query with { TenantId = null }, limit, null, cancellationToken)).Items;
    }

    public async Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await SqliteTenantCatalog.Changes.PruneAsync(connection, before, cancellationToken);
    }

    /// <summary>The change's audit entry, naming <paramref name="target"/>, in its transaction (none without an audit).</summary>
    private Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, string target, CancellationToken cancellationToken) =>
        _audit is null ? Task.CompletedTask : SqliteTenantCatalog.Changes.WriteEntryAsync(connection, transaction, _audit() with { Target = target }, cancellationToken);

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

    /// <summary>Inserts the order and its lines, numbered in their order.</summary>
    private static async Task InsertOrderAsync(SqliteConnection connection, SqliteTransaction transaction, Order order, CancellationToken cancellationToken)
    {
        await using (var insert = connection.Command(
            "INSERT INTO customer_order (id, order_name, creation_date, status) VALUES (@id, @name, @created, @status)",
            transaction,
            ("@id", order.Id),
            ("@name", order.OrderName),
            ("@created", StoredTime.Format(order.CreationDate)),
            ("@status", order.Status)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var lineNo = 0; lineNo < order.OrderProducts.Count; lineNo++)
        {
            var line = order.OrderProducts[lineNo];
            await using var insertLine = connection.Command(
                """
                INSERT INTO order_line (order_id, line_no, product_id, product_name, product_sku, product_description, quantity, price_cents)
                VALUES (@order, @lineNo, @product, @name, @sku, @description, @quantity, @price)
                """,
                transaction,
                ("@order", order.Id),
                ("@lineNo", lineNo),
                ("@product", line.ProductId),
                ("@name", line.ProductName),
                ("@sku", line.ProductSku),
                ("@description", line.ProductDescription),
                ("@quantity", line.Quantity),
                ("@price", Cents.Of(line.Price)));
            await insertLine.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Writes <paramref name="product"/> with <paramref name="sql"/> and answers it as stored.</summary>
    private static async Task<Product> SaveProductAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, Product product, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            $"{sql} RETURNING {ProductColumns}",
            transaction,
            ("@id", product.Id),
            ("@name", product.Name),
            ("@description", product.Description),
            ("@sku", product.Sku),
            ("@price", Cents.Of(product.Price)),
            ("@quantity", product.Quantity),
            ("@limit", product.BackorderedLimit),
            ("@created", StoredTime.Format(product.CreatedAt)),
            ("@updated", StoredTime.Format(product.UpdatedAt)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadProduct(reader);
    }

    /// <summary>Saves the stock (and the stamp) of products whose stock an order took or gave back.</summary>
    private static async Task SaveStockAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<Product> products, CancellationToken cancellationToken)
    {
        foreach (var product in products)
        {
            await using var command = connection.Command(
                "UPDATE product SET quantity = @quantity, updated_at = @updated WHERE id = @id",
                transaction,
                ("@id", product.Id),
                ("@quantity", product.Quantity),
                ("@updated", StoredTime.Format(product.UpdatedAt)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The products among <paramref name="productIds"/> that exist, by id.</summary>
    private static async Task<Dictionary<string, Product>> ReadProductsAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> productIds, CancellationToken cancellationToken)
    {
        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        foreach (var productId in productIds)
        {
            if (!products.ContainsKey(productId) && await ReadProductAsync(connection, transaction, productId, cancellationToken) is { } product)
            {
                products[productId] = product;
            }
        }

        return products;
    }

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
        Cents.ToPrice(reader.GetInt64(4)),
        reader.GetInt64(5),
        reader.GetInt64(6),
        StoredTime.Parse(reader.GetString(7)),
        StoredTime.Parse(reader.GetString(8)));

    private static async Task<OrderHead?> ReadOrderHeadAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT order_name, status FROM customer_order WHERE id = @id", transaction, ("@id", orderId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new OrderHead(reader.GetString(0), reader.GetString(1)) : null;
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

        // Stryker disable once Block : the query finds no lines for no ids either; the check only saves it.
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
            ("@ids", System.Text.Json.JsonSerializer.Serialize(orderIds, StoredJson.Default.StringArray)));
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
                Cents.ToPrice(reader.GetInt64(6))));
        }

        return lines;
    }

    /// <summary>
    /// Gives the order's stock back (<see cref="Stock.Return"/>). Null when done; the id of a product whose stock
    /// would pass <see cref="DataPlaneLimits.MaxStock"/> when refused, and then nothing was written.
    /// </summary>
    private async Task<string?> ReturnStockAsync(SqliteConnection connection, SqliteTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        // Stryker disable once NullCoalescing : every stored order has a line (the placement and the import refuse one without).
        var lines = (await ReadLinesAsync(connection, transaction, [orderId], cancellationToken)).GetValueOrDefault(orderId) ?? [];
        var products = await ReadProductsAsync(connection, transaction, lines.Select(line => line.ProductId), cancellationToken);
        var returned = Stock.Return(lines, products, _time.GetUtcNow());
        if (returned.OverBoundProductId is { } overBound)
        {
            return overBound;
        }

        await SaveStockAsync(connection, transaction, returned.Products, cancellationToken);
        return null;
    }
}
