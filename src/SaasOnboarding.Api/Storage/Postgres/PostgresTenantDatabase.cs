using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>
/// Products and orders in one tenant's schema, reached only as the tenant's own role: every call runs in a
/// transaction that first does <c>SET LOCAL ROLE tenant_&lt;id&gt;</c> and puts only that schema on the search path.
/// </summary>
public sealed class PostgresTenantDatabase : ITenantDatabase
{
    private const string ProductColumns = "id, name, description, sku, price, quantity, backordered_limit, created_at, updated_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _scopeSql;
    private readonly Func<string, CancellationToken, Task>? _ensureCurrent;

    /// <summary>A client of one tenant's schema; <c>ensureCurrent</c> runs before every operation (the schema version check).</summary>
    public PostgresTenantDatabase(string tenantId, NpgsqlDataSource dataSource, Func<string, CancellationToken, Task>? ensureCurrent = null)
    {
        _ensureCurrent = ensureCurrent;
        var name = Postgres.Identifier(TenantIds.DatabaseName(tenantId));
        TenantId = tenantId;
        _dataSource = dataSource;

        // LOCAL: both end with the transaction, so a pooled connection never carries this tenant's role or search
        // path to the next caller, even before Npgsql's reset (DISCARD ALL) on return to the pool. pg_temp last, so
        // a temporary table cannot shadow the tenant's own tables.
        _scopeSql = $"SET LOCAL ROLE {name}; SET LOCAL search_path = {name}, pg_temp;";
    }

    public string TenantId { get; }

    public Task<Page<Product>> ListProductsAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (afterTime, afterId) = DecodeCreationKey(nextToken);
        return RunAsync(
            async (connection, transaction) =>
            {
                // Creation order, the id breaking ties: a page boundary never skips or repeats a product.
                await using var command = connection.Command(
                    $"SELECT {ProductColumns} FROM product WHERE (created_at, id) > (@afterTime, @afterId) ORDER BY created_at, id LIMIT @take",
                    transaction,
                    ("@afterTime", afterTime),
                    ("@afterId", afterId),
                    ("@take", limit + 1));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var items = new List<Product>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    items.Add(ReadProduct(reader));
                }

                return items.Count > limit
                    ? new Page<Product>(items[..limit], EncodeCreationKey(items[limit - 1].CreatedAt, items[limit - 1].Id))
                    : new Page<Product>(items, null);
            },
            cancellationToken);
    }

    public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) => RunAsync(
        (connection, transaction) => FindProductAsync(connection, transaction, productId, cancellationToken),
        cancellationToken);

    public async Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(
                async (connection, transaction) =>
                {
                    await LockSkuAsync(connection, transaction, draft.Sku, cancellationToken);
                    await using var command = connection.Command(
                        $"""
                        INSERT INTO product ({ProductColumns})
                        SELECT @id, @name, @description, @sku, @price, @quantity, @limit, @now, @now
                        WHERE NOT EXISTS (SELECT 1 FROM product WHERE {SkuKey} = lower(@sku COLLATE "C"))
                        ON CONFLICT DO NOTHING
                        RETURNING {ProductColumns}
                        """,
                        transaction,
                        [("@id", NewId()), .. DraftParameters(draft), ("@now", Postgres.ToStored(DateTimeOffset.UtcNow))]);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    return await reader.ReadAsync(cancellationToken)
                        ? new ProductWrite(WriteOutcome.Done, ReadProduct(reader))
                        : new ProductWrite(WriteOutcome.Conflict);
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }
    }

    public async Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(
                async (connection, transaction) =>
                {
                    var current = await FindProductAsync(connection, transaction, productId, cancellationToken, forUpdate: true);
                    if (current is null)
                    {
                        return new ProductWrite(WriteOutcome.NotFound);
                    }

                    if (expectedVersion is not null && current.Version != expectedVersion)
                    {
                        return new ProductWrite(WriteOutcome.PreconditionFailed);
                    }

                    await LockSkuAsync(connection, transaction, draft.Sku, cancellationToken);
                    await using (var taken = connection.Command(
                        $"SELECT 1 FROM product WHERE {SkuKey} = lower(@sku COLLATE \"C\") AND id <> @id",
                        transaction,
                        ("@sku", draft.Sku),
                        ("@id", productId)))
                    {
                        if (await taken.ExecuteScalarAsync(cancellationToken) is not null)
                        {
                            return new ProductWrite(WriteOutcome.Conflict);
                        }
                    }

                    await using var command = connection.Command(
                        $"""
                        UPDATE product SET name = @name, description = @description, sku = @sku, price = @price,
                            quantity = @quantity, backordered_limit = @limit, updated_at = {NextStamp}
                        WHERE id = @id
                        RETURNING {ProductColumns}
                        """,
                        transaction,
                        [("@id", productId), .. DraftParameters(draft), ("@now", Postgres.ToStored(DateTimeOffset.UtcNow))]);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    await reader.ReadAsync(cancellationToken);
                    return new ProductWrite(WriteOutcome.Done, ReadProduct(reader));
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }
    }

    public Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) =>
        {
            var current = await FindProductAsync(connection, transaction, productId, cancellationToken, forUpdate: true);
            if (current is null)
            {
                return WriteOutcome.NotFound;
            }

            if (expectedVersion is not null && current.Version != expectedVersion)
            {
                return WriteOutcome.PreconditionFailed;
            }

            await connection.ExecuteAsync("DELETE FROM product WHERE id = @id", transaction, cancellationToken, ("@id", productId));
            return WriteOutcome.Done;
        },
        cancellationToken);

    public Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (afterTime, afterId) = DecodeCreationKey(nextToken);
        return RunAsync(
            async (connection, transaction) =>
            {
                var orders = await ReadOrdersAsync(
                    connection,
                    transaction,
                    "WHERE (creation_date, id) > (@afterTime, @afterId) ORDER BY creation_date, id LIMIT @take",
                    cancellationToken,
                    ("@afterTime", afterTime),
                    ("@afterId", afterId),
                    ("@take", limit + 1));
                return orders.Count > limit
                    ? new Page<Order>(orders[..limit], EncodeCreationKey(orders[limit - 1].CreationDate, orders[limit - 1].Id))
                    : new Page<Order>(orders, null);
            },
            cancellationToken);
    }

    public Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken) => RunAsync(
        (connection, transaction) => FindOrderAsync(connection, transaction, orderId, cancellationToken),
        cancellationToken);

    public Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderName);
        if (lines.Count == 0 || lines.Any(line => line.Quantity < 1))
        {
            throw new ArgumentException("An order needs at least one line, each with a quantity of at least 1.", nameof(lines));
        }

        // The same product may appear on several lines: stock is checked against the sum.
        var wanted = lines.GroupBy(line => line.ProductId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(line => (long)line.Quantity), StringComparer.Ordinal);

        return RunAsync(
            async (connection, transaction) =>
            {
                // Lock the rows in one consistent (id) order, so two orders for overlapping products queue rather
                // than deadlock; nothing is written before every line is known to be satisfiable.
                var products = new Dictionary<string, Product>(StringComparer.Ordinal);
                await using (var command = connection.Command(
                    $"SELECT {ProductColumns} FROM product WHERE id = ANY(@ids) ORDER BY id FOR UPDATE",
                    transaction,
                    ("@ids", wanted.Keys.ToArray())))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var product = ReadProduct(reader);
                        products[product.Id] = product;
                    }
                }

                foreach (var line in lines)
                {
                    if (!products.ContainsKey(line.ProductId))
                    {
                        return new OrderCreation(null, MissingProductId: line.ProductId);
                    }
                }

                foreach (var line in lines)
                {
                    var product = products[line.ProductId];
                    if (product.Quantity < wanted[line.ProductId])
                    {
                        return new OrderCreation(null, ShortProductId: product.Id, Available: product.Quantity);
                    }
                }

                var now = Postgres.ToStored(DateTimeOffset.UtcNow);
                var order = new Order(
                    NewId(),
                    orderName,
                    now,
                    OrderStatus.Processing,
                    [.. lines.Select(line =>
                    {
                        var product = products[line.ProductId];
                        return new OrderLine(product.Id, product.Name, product.Sku, product.Description, line.Quantity, product.Price);
                    })]);

                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var (productId, quantity) in wanted.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    batch.BatchCommands.Add(BatchCommand(
                        $"UPDATE product SET quantity = quantity - @quantity, updated_at = {NextStamp} WHERE id = @id",
                        ("@id", productId),
                        ("@quantity", (int)quantity),
                        ("@now", now)));
                }

                batch.BatchCommands.Add(BatchCommand(
                    "INSERT INTO customer_order (id, order_name, creation_date, status) VALUES (@id, @name, @created, @status)",
                    ("@id", order.Id),
                    ("@name", order.OrderName),
                    ("@created", order.CreationDate),
                    ("@status", order.Status)));
                for (var index = 0; index < order.OrderProducts.Count; index++)
                {
                    var line = order.OrderProducts[index];
                    batch.BatchCommands.Add(BatchCommand(
                        """
                        INSERT INTO order_line (order_id, line_no, product_id, product_name, product_sku, product_description, quantity, price)
                        VALUES (@order, @line, @product, @name, @sku, @description, @quantity, @price)
                        """,
                        ("@order", order.Id),
                        ("@line", index),
                        ("@product", line.ProductId),
                        ("@name", line.ProductName),
                        ("@sku", line.ProductSku),
                        ("@description", line.ProductDescription),
                        ("@quantity", line.Quantity),
                        ("@price", line.Price)));
                }

                await batch.ExecuteNonQueryAsync(cancellationToken);
                return new OrderCreation(order);
            },
            cancellationToken);
    }

    public Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (status is not null && !OrderStatus.All.Contains(status))
        {
            throw new ArgumentException($"Unknown order status '{status}'.", nameof(status));
        }

        return RunAsync(
            async (connection, transaction) =>
            {
                if (await LockOrderAsync(connection, transaction, orderId, cancellationToken) is not var (currentName, currentStatus))
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

                if (status == OrderStatus.Cancelled && currentStatus != OrderStatus.Cancelled
                    && await ReturnStockAsync(connection, transaction, orderId, cancellationToken) is { } overBound)
                {
                    return new OrderWrite(WriteOutcome.BoundExceeded, ProductId: overBound);
                }

                await connection.ExecuteAsync(
                    "UPDATE customer_order SET order_name = coalesce(@name, order_name), status = coalesce(@status, status) WHERE id = @id",
                    transaction,
                    cancellationToken,
                    ("@id", orderId),
                    ("@name", Postgres.Text(orderName)),
                    ("@status", Postgres.Text(status)));
                return new OrderWrite(WriteOutcome.Done, await FindOrderAsync(connection, transaction, orderId, cancellationToken));
            },
            cancellationToken);
    }

    public Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) =>
        {
            if (await LockOrderAsync(connection, transaction, orderId, cancellationToken) is not var (currentName, currentStatus))
            {
                return new OrderWrite(WriteOutcome.NotFound);
            }

            if (expectedVersion is not null && Order.VersionOf(currentStatus, currentName) != expectedVersion)
            {
                return new OrderWrite(WriteOutcome.PreconditionFailed);
            }

            if (currentStatus == OrderStatus.Processing
                && await ReturnStockAsync(connection, transaction, orderId, cancellationToken) is { } overBound)
            {
                return new OrderWrite(WriteOutcome.BoundExceeded, ProductId: overBound);
            }

            await connection.ExecuteAsync("DELETE FROM customer_order WHERE id = @id", transaction, cancellationToken, ("@id", orderId));
            return new OrderWrite(WriteOutcome.Done);
        },
        cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction as the tenant's role with only the tenant's schema on the
    /// search path. Every operation of this client goes through here.
    /// </summary>
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_ensureCurrent is not null)
        {
            await _ensureCurrent(TenantId, cancellationToken);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(_scopeSql, transaction, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidParameterValue or PostgresErrorCodes.UndefinedObject)
        {
            // SET ROLE names a role that does not exist: the tenant's child is gone (or never was).
            throw new InvalidOperationException($"Tenant {TenantId} has no child database.", e);
        }

        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>The SKU key compared for uniqueness: ASCII letters folded, as the unique index of newer schemas.</summary>
    private const string SkuKey = "lower(sku COLLATE \"C\")";

    /// <summary>
    /// The updated_at of a write: now, or one microsecond after the stored one when the clock has not moved past
    /// it, so that every write changes the product's version.
    /// </summary>
    private const string NextStamp = "greatest(@now, updated_at + interval '1 microsecond')";

    /// <summary>
    /// Serializes the writers of one SKU key for the rest of the transaction, so that a check for a case variant
    /// and the write after it cannot interleave with another writer's (schemas made before the unique index on
    /// the key rely on this alone).
    /// </summary>
    private static Task<int> LockSkuAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sku, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "SELECT pg_advisory_xact_lock(hashtextextended('product.sku:' || lower(@sku COLLATE \"C\"), 0))",
            transaction,
            cancellationToken,
            ("@sku", sku));

    private static async Task<(string Name, string Status)?> LockOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT order_name, status FROM customer_order WHERE id = @id FOR UPDATE", transaction, ("@id", orderId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// Puts an order's quantities back on the products that still exist. The rows are locked in id order first,
    /// as order creation does, so the two cannot deadlock. Null when done; the id of a product whose stock would
    /// pass <see cref="DataPlaneLimits.MaxStock"/> when refused, and then nothing was written.
    /// </summary>
    private static async Task<string?> ReturnStockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(
            "SELECT id FROM product WHERE id IN (SELECT product_id FROM order_line WHERE order_id = @order) ORDER BY id FOR UPDATE",
            transaction,
            cancellationToken,
            ("@order", orderId));
        await using (var command = connection.Command(
            """
            SELECT product.id FROM product
            JOIN (SELECT product_id, sum(quantity) AS quantity FROM order_line WHERE order_id = @order GROUP BY product_id) AS returned
              ON product.id = returned.product_id
            WHERE product.quantity::bigint + returned.quantity > @max
            ORDER BY product.id
            LIMIT 1
            """,
            transaction,
            ("@order", orderId),
            ("@max", (long)DataPlaneLimits.MaxStock)))
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is string overBound)
            {
                return overBound;
            }
        }

        await connection.ExecuteAsync(
            $"""
            UPDATE product SET quantity = product.quantity + returned.quantity, updated_at = {NextStamp}
            FROM (SELECT product_id, sum(quantity)::integer AS quantity FROM order_line WHERE order_id = @order GROUP BY product_id) AS returned
            WHERE product.id = returned.product_id;
            """,
            transaction,
            cancellationToken,
            ("@order", orderId),
            ("@now", Postgres.ToStored(DateTimeOffset.UtcNow)));
        return null;
    }

    private static async Task<Product?> FindProductAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string productId, CancellationToken cancellationToken, bool forUpdate = false)
    {
        await using var command = connection.Command(
            forUpdate ? $"SELECT {ProductColumns} FROM product WHERE id = @id FOR UPDATE" : $"SELECT {ProductColumns} FROM product WHERE id = @id",
            transaction,
            ("@id", productId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadProduct(reader) : null;
    }

    private static async Task<Order?> FindOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        var orders = await ReadOrdersAsync(connection, transaction, "WHERE id = @id", cancellationToken, ("@id", orderId));
        return orders.Count == 0 ? null : orders[0];
    }

    /// <summary>Orders chosen by <paramref name="filter"/> (a WHERE/ORDER/LIMIT tail), with their lines.</summary>
    private static async Task<List<Order>> ReadOrdersAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string filter,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        var headers = new List<(string Id, string Name, DateTimeOffset Created, string Status)>();
        await using (var command = connection.Command($"SELECT id, order_name, creation_date, status FROM customer_order {filter}", transaction, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                headers.Add((reader.GetString(0), reader.GetString(1), reader.Timestamp(2), reader.GetString(3)));
            }
        }

        if (headers.Count == 0)
        {
            return [];
        }

        var lines = headers.ToDictionary(header => header.Id, _ => new List<OrderLine>(), StringComparer.Ordinal);
        await using (var command = connection.Command(
            """
            SELECT order_id, product_id, product_name, product_sku, product_description, quantity, price
            FROM order_line WHERE order_id = ANY(@ids) ORDER BY order_id, line_no
            """,
            transaction,
            ("@ids", lines.Keys.ToArray())))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lines[reader.GetString(0)].Add(new OrderLine(
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.NullableString(4),
                    reader.GetInt32(5),
                    reader.GetDecimal(6)));
            }
        }

        return [.. headers.Select(header => new Order(header.Id, header.Name, header.Created, header.Status, lines[header.Id]))];
    }

    private static (string, object?)[] DraftParameters(ProductDraft draft) =>
    [
        ("@name", draft.Name),
        ("@description", Postgres.Text(draft.Description)),
        ("@sku", draft.Sku),
        ("@price", draft.Price),
        ("@quantity", draft.Quantity),
        ("@limit", draft.BackorderedLimit),
    ];

    private static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        Postgres.AddParameters(command.Parameters, parameters);
        return command;
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static string EncodeCreationKey(DateTimeOffset created, string id) => PageTokens.Encode(StoredTime.Format(created), id);

    /// <summary>The (creation time, id) a page ends at; the start of time and an empty id for the first page.</summary>
    private static (DateTimeOffset After, string AfterId) DecodeCreationKey(string? nextToken)
    {
        if (nextToken is null)
        {
            return (DateTimeOffset.UnixEpoch, "");
        }

        var keys = PageTokens.Decode(nextToken, 2);
        try
        {
            return (Postgres.ToStored(StoredTime.Parse(keys[0])), keys[1]);
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException();
        }
    }

    private static Product ReadProduct(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.NullableString(2),
        reader.GetString(3),
        reader.GetDecimal(4),
        reader.GetInt32(5),
        reader.GetInt32(6),
        reader.Timestamp(7),
        reader.Timestamp(8));
}
