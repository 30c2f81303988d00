using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>
/// Products and orders in one tenant's schema, reached only as the tenant's own role: every call runs in one
/// transaction that first makes the tenant's role current and puts only that schema on the search path, both for
/// that transaction alone. With an access check whose revision is still to be read, the statement that sets the scope
/// also reads the tenant's access revision from the catalog (as the app's role), and a difference goes to the check
/// before anything read leaves or any change is made.
/// </summary>
public sealed class PostgresTenantDatabase : ITenantDatabase
{
    private const string ProductColumns = "id, name, description, sku, price, quantity, backordered_limit, created_at, updated_at";

    /// <summary>
    /// The tenant's scope: <c>set_config(..., true)</c> is <c>SET LOCAL</c>, so both settings end with the
    /// transaction and a pooled connection never carries them to its next user. Parameters keep the text the same
    /// for every tenant, so one prepared statement serves them all. <c>pg_temp</c> last, so that a temporary table
    /// cannot shadow the tenant's own tables.
    /// </summary>
    private const string ScopeSql = "SELECT " + ScopeSettings;

    private const string ScopeSettings = "set_config('role', @role, true), set_config('search_path', @path, true)";

    private static readonly DataPlaneListing ProductListing =
        DataPlaneListing.Products($"SELECT {ProductColumns} FROM product ", " LIMIT @take", Contains, time => Postgres.ToStored(time));

    /// <summary>The WHERE, ORDER BY and LIMIT of an orders page (<see cref="ReadOrdersAsync"/>).</summary>
    private static readonly DataPlaneListing OrderListing = DataPlaneListing.Orders("", " LIMIT @take", Contains, time => Postgres.ToStored(time));

    /// <summary>
    /// The tenant's access revision and its scope in one statement. PostgreSQL checks a statement's privileges before
    /// it runs any of it, as the role current then: the app's, which may read the catalog. The revision's subquery
    /// therefore reads the catalog whether it runs before or after the settings change the role.
    /// </summary>
    private const string RevisionAndScopeSql =
        "SELECT (" + PostgresTenantCatalog.AccessRevisionSql + "), " + ScopeSettings;

    private readonly NpgsqlDataSource _dataSource;
    private readonly (string Name, object? Value)[] _scope;
    private readonly Func<string, CancellationToken, Task> _ensureCurrent;
    private readonly TimeProvider _time;
    private readonly DataPlaneAudit? _audit;
    private readonly IAccessRevisionCheck? _access;
    private readonly (string Name, object? Value)[] _revisionAndScope;

    /// <summary>The tenant's audit rows, in its own schema.</summary>
    private static readonly ChangeRows Changes = new(string.Empty, time => Postgres.ToStored(time), Postgres.Timestamp);

    /// <summary>
    /// A client of one tenant's schema; <c>ensureCurrent</c> runs before every operation (the schema version check);
    /// each change writes the entry <paramref name="audit"/> makes; each operation checks the tenant's access revision
    /// against <paramref name="access"/> when it expects one.
    /// </summary>
    public PostgresTenantDatabase(
        string tenantId,
        NpgsqlDataSource dataSource,
        Func<string, CancellationToken, Task> ensureCurrent,
        TimeProvider? time = null,
        DataPlaneAudit? audit = null,
        IAccessRevisionCheck? access = null)
    {
        _ensureCurrent = ensureCurrent;
        _audit = audit;
        _access = access;
        var name = TenantIds.DatabaseName(tenantId);
        TenantId = tenantId;
        _dataSource = dataSource;
        _time = time ?? TimeProvider.System;
        _scope = [("@role", name), ("@path", Postgres.Identifier(name) + ", pg_temp")];
        _revisionAndScope = [("@tenant", tenantId), .. _scope];
    }

    private string TenantId { get; }

    public Task<Page<Product>> ListProductsAsync(ProductQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (sql, parameters) = ProductListing.Page(query, nextToken);

        // Creation order, the id breaking ties: a page boundary never skips or repeats a product.
        return ReadAsync(
            sql,
            [.. parameters, ("@take", limit + 1)],
            async reader =>
            {
                var items = new List<Product>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    items.Add(ReadProduct(reader));
                }

                return items.Count > limit
                    ? new Page<Product>(items[..limit], DataPlaneListing.NextToken(query.Fingerprint, items[limit - 1].CreatedAt, items[limit - 1].Id))
                    : new Page<Product>(items, null);
            },
            cancellationToken);
    }

    public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) => ReadAsync(
        $"SELECT {ProductColumns} FROM product WHERE id = @id",
        [("@id", productId)],
        async reader => await reader.ReadAsync(cancellationToken) ? ReadProduct(reader) : null,
        cancellationToken);

    public async Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken)
    {
        var product = Product.Create(NewId(), draft, _time.GetUtcNow());
        try
        {
            return await RunAsync(
                async (connection, transaction) =>
                {
                    await LockSkuAsync(connection, transaction, draft.Sku, cancellationToken);
                    await using var command = connection.Command(
                        $"""
                        INSERT INTO product ({ProductColumns})
                        SELECT @id, @name, @description, @sku, @price, @quantity, @limit, @created, @updated
                        WHERE NOT EXISTS (SELECT 1 FROM product WHERE {SkuKey} = lower(@sku COLLATE "C"))
                        ON CONFLICT DO NOTHING
                        RETURNING {ProductColumns}
                        """,
                        transaction,
                        ProductParameters(product));
                    Product? written;
                    await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    {
                        written = await reader.ReadAsync(cancellationToken) ? ReadProduct(reader) : null;
                    }

                    if (written is null)
                    {
                        return new ProductWrite(WriteOutcome.Conflict);
                    }

                    await RecordAsync(connection, transaction, written.Id, cancellationToken);
                    return new ProductWrite(WriteOutcome.Done, written);
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        // Stryker disable once Block : a guard; the SKU's lock and the check under it leave no unique violation to catch.
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
                    var current = await LockProductAsync(connection, transaction, productId, cancellationToken);
                    if (current is null)
                    {
                        return new ProductWrite(WriteOutcome.NotFound);
                    }

                    if (!current.IsVersion(expectedVersion))
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
                            quantity = @quantity, backordered_limit = @limit, updated_at = @updated
                        WHERE id = @id
                        RETURNING {ProductColumns}
                        """,
                        transaction,
                        ProductParameters(current.Revise(draft, _time.GetUtcNow())));
                    Product written;
                    await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    {
                        await reader.ReadAsync(cancellationToken);
                        written = ReadProduct(reader);
                    }

                    await RecordAsync(connection, transaction, productId, cancellationToken);
                    return new ProductWrite(WriteOutcome.Done, written);
                },
                cancellationToken);
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        // Stryker disable once Block : a guard; the SKU's lock and the check under it leave no unique violation to catch.
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }
    }

    public Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) =>
        {
            var current = await LockProductAsync(connection, transaction, productId, cancellationToken);
            if (current is null)
            {
                return WriteOutcome.NotFound;
            }

            if (!current.IsVersion(expectedVersion))
            {
                return WriteOutcome.PreconditionFailed;
            }

            await connection.ExecuteAsync("DELETE FROM product WHERE id = @id", transaction, cancellationToken, ("@id", productId));
            await RecordAsync(connection, transaction, productId, cancellationToken);
            return WriteOutcome.Done;
        },
        cancellationToken);

    public Task<Page<Order>> ListOrdersAsync(OrderQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (tail, parameters) = OrderListing.Page(query, nextToken);
        return RunAsync(
            async (connection, transaction) =>
            {
                var orders = await ReadOrdersAsync(connection, transaction, tail, cancellationToken, [.. parameters, ("@take", limit + 1)]);
                return orders.Count > limit
                    ? new Page<Order>(orders[..limit], DataPlaneListing.NextToken(query.Fingerprint, orders[limit - 1].CreationDate, orders[limit - 1].Id))
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
        OrderPlacement.Check(lines);
        return RunAsync(
            async (connection, transaction) =>
            {
                var products = await LockProductsAsync(
                    connection, transaction, OrderPlacement.Needs(lines).Select(need => need.ProductId), cancellationToken);
                var placement = OrderPlacement.Place(NewId(), orderName, lines, products, _time.GetUtcNow());
                if (placement.Outcome.Order is not { } order)
                {
                    return placement.Outcome;
                }

                await using var batch = new NpgsqlBatch(connection, transaction);
                AddStockWrites(batch, placement.Products);
                AddOrderInserts(batch, order);
                await batch.ExecuteNonQueryAsync(cancellationToken);
                await RecordAsync(connection, transaction, order.Id, cancellationToken);
                return placement.Outcome;
            },
            cancellationToken);
    }

    public Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) => await OrderChangeSteps.ApplyAsync(
            await LockOrderAsync(connection, transaction, orderId, cancellationToken),
            current => OrderChanges.Update(current, orderName, status, expectedVersion),
            () => ReturnStockAsync(connection, transaction, orderId, cancellationToken),
            async next =>
            {
                await connection.ExecuteAsync(
                    "UPDATE customer_order SET order_name = @name, status = @status WHERE id = @id",
                    transaction,
                    cancellationToken,
                    ("@id", orderId),
                    ("@name", next.Name),
                    ("@status", next.Status));
                await RecordAsync(connection, transaction, orderId, cancellationToken);
                return new OrderWrite(WriteOutcome.Done, await FindOrderAsync(connection, transaction, orderId, cancellationToken));
            }),
        cancellationToken);

    public Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) => await OrderChangeSteps.ApplyAsync(
            await LockOrderAsync(connection, transaction, orderId, cancellationToken),
            current => OrderChanges.Delete(current, expectedVersion),
            () => ReturnStockAsync(connection, transaction, orderId, cancellationToken),
            async _ =>
            {
                await connection.ExecuteAsync("DELETE FROM customer_order WHERE id = @id", transaction, cancellationToken, ("@id", orderId));
                await RecordAsync(connection, transaction, orderId, cancellationToken);
                return new OrderWrite(WriteOutcome.Done);
            }),
        cancellationToken);

    public Task ImportAsync(IReadOnlyList<Product> products, IReadOnlyList<Order> orders, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var product in products)
            {
                batch.BatchCommands.Add(BatchCommand(
                    $"INSERT INTO product ({ProductColumns}) VALUES (@id, @name, @description, @sku, @price, @quantity, @limit, @created, @updated)",
                    ProductParameters(product)));
            }

            foreach (var order in orders)
            {
                AddOrderInserts(batch, order);
            }

            // Stryker disable once Equality : an empty batch runs and writes nothing; the check only spares its round trip.
            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            // Stryker disable once Boolean : the import answers nothing; RunAsync only needs a result.
            return true;
        },
        cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, CancellationToken cancellationToken) => RunAsync(
        async (connection, transaction) =>
            (await Changes.ListAsync(connection, query with { TenantId = null }, limit, null, cancellationToken, transaction)).Items,
        cancellationToken);

    public Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) => RunAsync(
        (connection, transaction) => Changes.PruneAsync(connection, before, cancellationToken, transaction),
        cancellationToken);

    /// <summary>The change's audit entry, naming <paramref name="target"/>, in its transaction (none without an audit).</summary>
    private Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string target, CancellationToken cancellationToken) =>
        _audit is null ? Task.CompletedTask : Changes.WriteEntryAsync(connection, transaction, _audit() with { Target = target }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction as the tenant's role with only the tenant's schema on the
    /// search path. Every operation of this client but the reads of one statement (<see cref="ReadAsync"/>) goes
    /// through here. An access revision other than the expected one ends the transaction before the work; once the
    /// check has confirmed the request at that revision, the operation starts over.
    /// </summary>
    internal async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _ensureCurrent(TenantId, cancellationToken);
        while (true)
        {
            var expected = _access?.Expected;
            long seen;
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
            {
                // Npgsql sends BEGIN with the next statements (the revision, the scope): one round trip before the work.
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var batch = Scoped(connection, transaction, expected))
                await using (var reader = await ScopedAsync(batch.ExecuteReaderAsync(cancellationToken)))
                {
                    seen = await RevisionAsync(reader, expected, cancellationToken);
                }

                if (seen == expected || expected is null)
                {
                    var result = await work(connection, transaction);
                    await transaction.CommitAsync(cancellationToken);
                    return result;
                }
            }

            await _access!.ConfirmAsync(seen, cancellationToken);
        }
    }

    /// <summary>
    /// One statement, <paramref name="sql"/>, in the tenant's scope, and <paramref name="read"/> over its rows: the
    /// access revision when expected, the scope and the statement go as one batch, one round trip. Without BEGIN,
    /// PostgreSQL runs a batch (statements up to one Sync) as one implicit transaction, which is what the scope lasts
    /// for. What was read is returned only once the check has confirmed the revision the batch saw.
    /// </summary>
    internal async Task<T> ReadAsync<T>(string sql, (string Name, object? Value)[] parameters, Func<NpgsqlDataReader, Task<T>> read, CancellationToken cancellationToken)
    {
        await _ensureCurrent(TenantId, cancellationToken);
        var expected = _access?.Expected;
        long seen;
        T result;
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (var batch = Scoped(connection, null, expected))
        {
            batch.BatchCommands.Add(BatchCommand(sql, parameters));
            await using var reader = await ScopedAsync(batch.ExecuteReaderAsync(cancellationToken));
            seen = await RevisionAsync(reader, expected, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            result = await read(reader);
        }

        if (seen != expected && expected is not null)
        {
            await _access!.ConfirmAsync(seen, cancellationToken);
        }

        return result;
    }

    /// <summary>A batch of the tenant's access revision (when <paramref name="expected"/>) and the tenant's scope.</summary>
    private NpgsqlBatch Scoped(NpgsqlConnection connection, NpgsqlTransaction? transaction, long? expected)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(expected is null ? BatchCommand(ScopeSql, _scope) : BatchCommand(RevisionAndScopeSql, _revisionAndScope));
        return batch;
    }

    /// <summary>
    /// The access revision the batch read (0 when the tenant has none yet), from the row that also set the scope,
    /// whose failure <see cref="ScopedAsync"/> reports. <paramref name="expected"/> null: nothing was read.
    /// </summary>
    private async Task<long> RevisionAsync(NpgsqlDataReader reader, long? expected, CancellationToken cancellationToken)
    {
        if (expected is null)
        {
            return 0;
        }

        await ScopedAsync(reader.ReadAsync(cancellationToken));
        return reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
    }

    /// <summary>
    /// Awaits the statement that sets the scope. A role that does not exist (PostgreSQL's check of the setting
    /// answers 22023) means the tenant's child is gone, or never was.
    /// </summary>
    private async Task<T> ScopedAsync<T>(Task<T> scoping)
    {
        try
        {
            return await scoping;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            throw new InvalidOperationException($"Tenant {TenantId} has no child database.", e);
        }
    }

    /// <summary>The SKU key compared for uniqueness: ASCII letters folded, as the unique index of newer schemas.</summary>
    private const string SkuKey = "lower(sku COLLATE \"C\")";

    /// <summary>
    /// Serializes the writers of one SKU key for the rest of the transaction, so that a check for a case variant
    /// and the write after it cannot interleave with another writer's (schemas made before the unique index on
    /// the key rely on this alone).
    /// </summary>
    private static Task<int> LockSkuAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sku, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(LockSkuSql, transaction, cancellationToken, ("@sku", sku));

    /// <summary>The lock <see cref="LockSkuAsync"/> takes on the SKU key of <c>@sku</c>.</summary>
    internal const string LockSkuSql = "SELECT pg_advisory_xact_lock(hashtextextended('product.sku:' || lower(@sku COLLATE \"C\"), 0))";

    private static async Task<OrderHead?> LockOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT order_name, status FROM customer_order WHERE id = @id FOR UPDATE", transaction, ("@id", orderId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new OrderHead(reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// The products among <paramref name="productIds"/> that exist, locked for the rest of the transaction. Rows
    /// are locked in one consistent (id) order by every caller, so two orders for overlapping products, or an
    /// order and a cancellation, queue rather than deadlock.
    /// </summary>
    private static async Task<Dictionary<string, Product>> LockProductsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> productIds, CancellationToken cancellationToken)
    {
        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        await using var command = connection.Command(
            $"SELECT {ProductColumns} FROM product WHERE id = ANY(@ids) ORDER BY id FOR UPDATE",
            transaction,
            ("@ids", productIds.Distinct(StringComparer.Ordinal).ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var product = ReadProduct(reader);
            products[product.Id] = product;
        }

        return products;
    }

    /// <summary>Saves the stock (and the stamp) of products whose stock an order took or gave back.</summary>
    /// <summary>Adds the inserts of the order and its lines, numbered in their order, to <paramref name="batch"/>.</summary>
    private static void AddOrderInserts(NpgsqlBatch batch, Order order)
    {
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
    }

    private static void AddStockWrites(NpgsqlBatch batch, IEnumerable<Product> products)
    {
        foreach (var product in products)
        {
            // Stryker disable once Checked : stock is at most DataPlaneLimits.MaxStock, which an int holds.
            batch.BatchCommands.Add(BatchCommand(
                "UPDATE product SET quantity = @quantity, updated_at = @updated WHERE id = @id",
                ("@id", product.Id),
                ("@quantity", checked((int)product.Quantity)),
                ("@updated", product.UpdatedAt)));
        }
    }

    /// <summary>
    /// Gives the order's stock back (<see cref="Stock.Return"/>). Null when done; the id of a product whose stock
    /// would pass <see cref="DataPlaneLimits.MaxStock"/> when refused, and then nothing was written.
    /// </summary>
    private async Task<string?> ReturnStockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orderId, CancellationToken cancellationToken)
    {
        // Stryker disable once String : the row is locked by this transaction, so this is never thrown.
        var order = await FindOrderAsync(connection, transaction, orderId, cancellationToken)
            ?? throw new InvalidOperationException("The order locked in this transaction is gone.");
        var products = await LockProductsAsync(connection, transaction, order.OrderProducts.Select(line => line.ProductId), cancellationToken);
        var returned = Stock.Return(order.OrderProducts, products, _time.GetUtcNow());
        if (returned.OverBoundProductId is { } overBound)
        {
            return overBound;
        }

        // Stryker disable once Equality : an empty batch writes nothing; the check only spares its round trip.
        if (returned.Products.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            AddStockWrites(batch, returned.Products);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        return null;
    }

    /// <summary>The product, locked for the rest of the transaction.</summary>
    private static async Task<Product?> LockProductAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string productId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            $"SELECT {ProductColumns} FROM product WHERE id = @id FOR UPDATE",
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

        // Stryker disable once Block : with no order the lines query answers no line; this spares its round trip.
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

    // Stryker disable Checked : stock and backorder limit are at most DataPlaneLimits.MaxStock, which an int holds.
    private static (string, object?)[] ProductParameters(Product product) =>
    [
        ("@id", product.Id),
        ("@name", product.Name),
        ("@description", Postgres.Text(product.Description)),
        ("@sku", product.Sku),
        ("@price", product.Price),
        ("@quantity", checked((int)product.Quantity)),
        ("@limit", checked((int)product.BackorderedLimit)),
        ("@created", product.CreatedAt),
        ("@updated", product.UpdatedAt),
    ];

    // Stryker restore Checked

    private static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        Postgres.AddParameters(command.Parameters, parameters);
        return command;
    }

    // Stryker disable once String : any format of a new GUID is a unique id; "N" matches the embedded store's ids.
    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// strpos on the lower-case column, not LIKE: a search is matched literally, with no wildcard characters to escape.
    /// Lower case by ICU's root locale, whatever the database's: <c>lower()</c> under a "C" ctype folds A–Z only.
    /// </summary>
    private static string Contains(string column, string parameter) => $"strpos(lower({column} COLLATE \"und-x-icu\"), {parameter}) > 0";

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
