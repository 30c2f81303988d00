namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// Products and orders in one tenant's child database, always through the parent key scoped to that child
/// (<c>&lt;key&gt;:tenant_&lt;id&gt;:server</c>): a query here cannot name another tenant's data.
/// </summary>
public sealed class FaunaTenantDatabase : ITenantDatabase
{
    internal const string ProductsList = "products";
    internal const string OrdersList = "orders";
    internal const string PreconditionFailed = "precondition_failed";

    /// <summary>The abort of a write that found a document changed since the read its decision was made on.</summary>
    internal const string Changed = "changed";

    /// <summary>How many read-decide-write rounds an order or product update makes before it gives up on contention.</summary>
    internal const int OrderAttempts = 5;

    private readonly FaunaClient _client;
    private readonly FaunaScope _scope;
    private readonly TimeProvider _time;
    private readonly Func<string, CancellationToken, Task>? _ensureCurrent;
    private readonly DataPlaneAudit? _audit;

    /// <summary>
    /// A client of one child database; <c>ensureCurrent</c> runs before every query (the schema version check);
    /// each change creates the entry <paramref name="audit"/> makes, in the change's query.
    /// </summary>
    public FaunaTenantDatabase(
        FaunaClient client, string tenantId, TimeProvider time, Func<string, CancellationToken, Task>? ensureCurrent = null, DataPlaneAudit? audit = null)
    {
        _audit = audit;
        _ensureCurrent = ensureCurrent;
        _client = client;
        _time = time;
        _scope = new FaunaScope(TenantIds.DatabaseName(tenantId), "server");
        TenantId = tenantId;
    }

    private string TenantId { get; }

    public Task<Page<Product>> ListProductsAsync(ProductQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ListAsync(() => Fql.Of($"{ProductSet(query)}.pageSize({limit})"), ProductsList + "/" + query.Fingerprint, nextToken, "product_list", ReadProduct, cancellationToken);
    }

    /// <summary>The products <paramref name="query"/> matches, oldest first: the index's order (creation time, then Fauna's document order).</summary>
    private static Fql ProductSet(ProductQuery query) => query.TextPart is not { } text
        ? Fql.Of($"product.sortedByCreatedAt()")
        : Fql.Of($"product.sortedByCreatedAt().where(p => p.name.toLowerCase().includes({text}) || p.sku.toLowerCase().includes({text}))");

    public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) =>
        GetAsync(productId, () => Fql.Of($"product.byId({productId})"), "product_get", ReadProduct, cancellationToken);

    public async Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken)
    {
        // Stryker disable once String : the id is the one Fauna gives the document; this placeholder is neither sent nor answered.
        var product = Product.Create("", draft, _time.GetUtcNow());
        var fields = ProductFields(draft, product.UpdatedAt);
        fields["createdAt"] = product.CreatedAt;
        try
        {
            var answer = await QueryAsync(AuditedCreate(Fql.Of($"product.create({fields})")), "product_create", cancellationToken);
            return new ProductWrite(WriteOutcome.Done, ReadProduct(answer.Data));
        }
        catch (FaunaConstraintException e) when (IsSkuConflict(e))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }
    }

    /// <summary>
    /// Optimistic, as orders are: read the product, let the domain judge the version and stamp the revision
    /// (<see cref="Product.Revise"/>), then write in one query that aborts if the product moved since the read
    /// (its <c>ts</c>), and start again. The SKU constraint is checked by the write.
    /// </summary>
    public async Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(productId))
        {
            return new ProductWrite(WriteOutcome.NotFound);
        }

        for (var attempt = 1; ; attempt++)
        {
            var read = await QueryAsync(Fql.Of($"product.byId({productId})"), "product_get", cancellationToken);
            if (FaunaRead.Document(read.Data) is not { } document)
            {
                return new ProductWrite(WriteOutcome.NotFound);
            }

            var current = ReadProduct(document);
            if (!current.IsVersion(expectedVersion))
            {
                return new ProductWrite(WriteOutcome.PreconditionFailed);
            }

            var revised = current.Revise(draft, _time.GetUtcNow());
            try
            {
                var answer = await QueryAsync(
                    Fql.Of($$"""
                        let p = product.byId({{productId}})
                        if (p == null || p!.ts != {{document.Ts}}) {
                          abort({ reason: {{Changed}} })
                        }
                        {{Audited(productId, Fql.Of($"p!.update({ProductFields(draft, revised.UpdatedAt)})"))}}
                        """),
                    "product_update",
                    cancellationToken);
                return new ProductWrite(WriteOutcome.Done, ReadProduct(answer.Data));
            }
            catch (FaunaConstraintException e) when (IsSkuConflict(e))
            {
                return new ProductWrite(WriteOutcome.Conflict);
            }
            catch (FaunaAbortException e) when (Reason(e) == Changed)
            {
                GiveUpAfter(attempt, e);
            }
        }
    }

    public async Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(productId))
        {
            return WriteOutcome.NotFound;
        }

        try
        {
            var answer = await QueryAsync(
                Fql.Of($$"""
                    let p = product.byId({{productId}})
                    let expected = {{ExpectedTime(expectedVersion)}}
                    if (p == null) {
                      false
                    } else if (expected != null && p!.updatedAt != expected) {
                      abort({ reason: {{PreconditionFailed}} })
                    } else {
                      {{Audited(productId, Fql.Of($"p!.delete()"))}}
                      true
                    }
                    """),
                "product_delete",
                cancellationToken);
            return FaunaRead.Bool(answer.Data, "deleted") ? WriteOutcome.Done : WriteOutcome.NotFound;
        }
        catch (FaunaAbortException e) when (Reason(e) == PreconditionFailed)
        {
            return WriteOutcome.PreconditionFailed;
        }
    }

    public Task<Page<Order>> ListOrdersAsync(OrderQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ListAsync(() => Fql.Of($"{OrderSet(query)}.pageSize({limit})"), OrdersList + "/" + query.Fingerprint, nextToken, "order_list", ReadOrder, cancellationToken);
    }

    /// <summary>
    /// The orders <paramref name="query"/> matches, newest first: the index <c>newestFirst</c> (creation time
    /// descending, then Fauna's document order).
    /// </summary>
    private static Fql OrderSet(OrderQuery query)
    {
        var set = Fql.Of($"order.newestFirst()");
        if (query.Status is { } status)
        {
            set = Fql.Of($"{set}.where(o => o.status == {status})");
        }

        if (query.TextPart is { } text)
        {
            set = Fql.Of($$"""
                {{set}}.where(o => o.orderName.toLowerCase().includes({{text}}) || o.id.toString().includes({{text}}) || o.orderProducts.any(l => l.productName.toLowerCase().includes({{text}}) || l.productSku.toLowerCase().includes({{text}})))
                """);
        }

        return set;
    }

    public Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        GetAsync(orderId, () => Fql.Of($"order.byId({orderId})"), "order_get", ReadOrder, cancellationToken);

    /// <summary>
    /// Optimistic: one query reads the products named, the domain decides (<see cref="OrderPlacement.Place"/>),
    /// and one query writes the stock taken and the order, aborting when any product read has been written since
    /// (its <c>ts</c> moved), in which case the round starts again.
    /// </summary>
    public async Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken)
    {
        OrderPlacement.Check(lines);
        if (lines.FirstOrDefault(line => !FaunaRead.IsDocumentId(line.ProductId)) is { } unknown)
        {
            return new OrderCreation(null, MissingProductId: unknown.ProductId);
        }

        List<string> productIds = [.. OrderPlacement.Needs(lines).Select(need => need.ProductId)];
        for (var attempt = 1; ; attempt++)
        {
            var answer = await QueryAsync(Fql.Of($"{productIds}.map(id => product.byId(id))"), "order_create_read", cancellationToken);
            var read = ReadProducts(FaunaRead.Array(answer.Data));
            // Stryker disable once String : the id is the one Fauna gives the document; this placeholder is neither sent nor answered.
            var placement = OrderPlacement.Place("", orderName, lines, read.Products, _time.GetUtcNow());
            if (placement.Outcome.Order is not { } order)
            {
                return placement.Outcome;
            }

            var create = Fql.Of($$"""
                order.create({
                  orderName: {{order.OrderName}},
                  creationDate: {{order.CreationDate}},
                  status: {{order.Status}},
                  orderProducts: {{OrderLineFields(order.OrderProducts)}}
                })
                """);
            try
            {
                var created = await QueryAsync(
                    Fql.Of($$"""
                        {{UnchangedProducts(read.Versions)}}
                        {{SaveStock(placement.Products)}}
                        {{AuditedCreate(create)}}
                        """),
                    "order_create",
                    cancellationToken);
                return new OrderCreation(ReadOrder(created.Data));
            }
            catch (FaunaAbortException e) when (Reason(e) == Changed)
            {
                GiveUpAfter(attempt, e);
            }
        }
    }

    /// <summary>
    /// One query creates every product and order with the id it had (Fauna takes an <c>id</c> on create when it is
    /// one it could have made: <see cref="FaunaTenantDatabases.KeepsRecordId"/>); a query is a transaction, so a
    /// taken id or SKU fails all of it.
    /// </summary>
    public async Task ImportAsync(IReadOnlyList<Product> products, IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        var productFields = products
            .Select(product =>
            {
                // Stryker disable once Checked : an import's stock and backorder limit are checked against DataPlaneLimits.MaxStock (TenantBundle), which an int holds.
                var fields = ProductFields(
                    new ProductDraft(product.Name, product.Description, product.Sku, product.Price, checked((int)product.Quantity), checked((int)product.BackorderedLimit)),
                    product.UpdatedAt);
                fields["id"] = product.Id;
                fields["createdAt"] = StoredTime.Truncate(product.CreatedAt);
                return fields;
            })
            .ToList();
        var orderFields = orders
            .Select(order => new Dictionary<string, object?>
            {
                ["id"] = order.Id,
                ["orderName"] = order.OrderName,
                ["creationDate"] = StoredTime.Truncate(order.CreationDate),
                ["status"] = order.Status,
                ["orderProducts"] = OrderLineFields(order.OrderProducts),
            })
            .ToList();
        await QueryAsync(
            Fql.Of($$"""
                {{productFields}}.forEach(p => product.create(p))
                {{orderFields}}.forEach(o => order.create(o))
                null
                """),
            "records_import",
            cancellationToken);
    }

    /// <summary>
    /// Optimistic, as order creation: read the order and its products, let <see cref="OrderChanges.Update"/> and
    /// <see cref="Stock.Return"/> decide, then write the returned stock and the order in one query that aborts if
    /// the order or a product read has been written since. A refusal writes nothing, not even the name.
    /// </summary>
    public async Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken)
    {
        // Before the first request: a status that is not one is a caller's mistake, not a reason to read.
        OrderChanges.CheckStatus(status);
        return await ChangeOrderAsync(
            orderId,
            current => OrderChanges.Update(current, orderName, status, expectedVersion),
            (read, change, returned) => Fql.Of($$"""
                let o = order.byId({{orderId}})
                if (o == null || o!.ts != {{read.OrderTs}}) {
                  abort({ reason: {{Changed}} })
                }
                {{UnchangedProducts(change.ReturnsStock ? read.Products.Versions : [])}}
                {{SaveStock(returned.Products)}}
                {{Audited(orderId, Fql.Of($$"""o!.update({ orderName: {{change.Next.Name}}, status: {{change.Next.Status}} })"""))}}
                """),
            "order_update",
            answer => new OrderWrite(WriteOutcome.Done, ReadOrder(answer.Data)),
            cancellationToken);
    }

    /// <summary>Optimistic, as an update; deleting a processing order returns its stock (<see cref="OrderChanges.Delete"/>).</summary>
    public Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken) => ChangeOrderAsync(
        orderId,
        current => OrderChanges.Delete(current, expectedVersion),
        (read, change, returned) => Fql.Of($$"""
            let o = order.byId({{orderId}})
            if (o == null || o!.ts != {{read.OrderTs}}) {
              abort({ reason: {{Changed}} })
            }
            {{UnchangedProducts(change.ReturnsStock ? read.Products.Versions : [])}}
            {{SaveStock(returned.Products)}}
            {{Audited(orderId, Fql.Of($"o!.delete()"))}}
            true
            """),
        "order_delete",
        _ => new OrderWrite(WriteOutcome.Done),
        cancellationToken);

    /// <summary>
    /// Reads the order and its products, lets <paramref name="decide"/> and <see cref="Stock.Return"/> decide, then
    /// runs <paramref name="write"/>, which must abort with <see cref="Changed"/> if the order or a product read has
    /// been written since; then it starts again, a few times at most.
    /// </summary>
    private async Task<OrderWrite> ChangeOrderAsync(
        string orderId,
        Func<OrderHead, OrderChanges.Change> decide,
        Func<OrderRead, OrderChanges.Change, Stock.Returned, Fql> write,
        string operation,
        Func<FaunaResponse, OrderWrite> written,
        CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(orderId))
        {
            return new OrderWrite(WriteOutcome.NotFound);
        }

        for (var attempt = 1; ; attempt++)
        {
            if (await ReadOrderWithProductsAsync(orderId, cancellationToken) is not { } read)
            {
                return new OrderWrite(WriteOutcome.NotFound);
            }

            var change = decide(new OrderHead(read.Order.OrderName, read.Order.Status));
            if (change.Refusal is { } refusal)
            {
                return refusal;
            }

            var returned = ReturnedStock(change, read);
            if (returned.OverBoundProductId is { } overBound)
            {
                return new OrderWrite(WriteOutcome.BoundExceeded, ProductId: overBound);
            }

            try
            {
                return written(await QueryAsync(write(read, change, returned), operation, cancellationToken));
            }
            catch (FaunaAbortException e) when (Reason(e) == Changed)
            {
                GiveUpAfter(attempt, e);
            }
        }
    }

    /// <summary>The order as read, its <c>ts</c>, and the products its lines name that still exist.</summary>
    private sealed record OrderRead(Order Order, DateTimeOffset OrderTs, ProductsRead Products);

    /// <summary>Products by id, and the <c>ts</c> each was read at (sent back as <c>{id, ts}</c> to check nothing moved).</summary>
    private sealed record ProductsRead(Dictionary<string, Product> Products, List<Dictionary<string, object?>> Versions);

    private async Task<OrderRead?> ReadOrderWithProductsAsync(string orderId, CancellationToken cancellationToken)
    {
        var answer = await QueryAsync(
            Fql.Of($$"""
                let o = order.byId({{orderId}})
                if (o == null) {
                  null
                } else {
                  { order: o, products: o!.orderProducts.map(line => product.byId(line.productId)) }
                }
                """),
            "order_read",
            cancellationToken);
        if (answer.Data is null)
        {
            return null;
        }

        var fields = answer.Data as IReadOnlyDictionary<string, object?> ?? throw new FaunaProtocolException("Expected an order with its products.");
        var document = FaunaRead.Document(fields.GetValueOrDefault("order")) ?? throw new FaunaProtocolException("Expected an order.");
        return new OrderRead(
            ReadOrder(document),
            document.Ts ?? throw new FaunaProtocolException("An order without ts."),
            ReadProducts(FaunaRead.Array(fields.GetValueOrDefault("products"))));
    }

    private static ProductsRead ReadProducts(List<object?> items)
    {
        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        var versions = new List<Dictionary<string, object?>>();
        foreach (var item in items)
        {
            // Stryker disable once NullCoalescing,String : a product read twice would only be checked twice for the same unchanged ts.
            if (FaunaRead.Document(item) is { } document && !products.ContainsKey(document.Id ?? ""))
            {
                var product = ReadProduct(document);
                products[product.Id] = product;
                versions.Add(new() { ["id"] = product.Id, ["ts"] = document.Ts ?? throw new FaunaProtocolException("A product without ts.") });
            }
        }

        return new ProductsRead(products, versions);
    }

    /// <summary>The stock the change gives back (<see cref="Stock.Return"/>); nothing when it gives none back.</summary>
    private Stock.Returned ReturnedStock(OrderChanges.Change change, OrderRead read) => change.ReturnsStock
        ? Stock.Return(read.Order.OrderProducts, read.Products.Products, _time.GetUtcNow())
        : new Stock.Returned(null, []);

    /// <summary>An order's lines as the order document keeps them.</summary>
    private static List<Dictionary<string, object?>> OrderLineFields(IReadOnlyList<OrderLine> lines) => lines
        .Select(line => new Dictionary<string, object?>
        {
            ["productId"] = line.ProductId,
            ["productName"] = line.ProductName,
            ["productSku"] = line.ProductSku,
            ["productDescription"] = line.ProductDescription,
            ["quantity"] = line.Quantity,
            ["priceCents"] = Cents.Of(line.Price),
        })
        .ToList();

    /// <summary>Aborts the query when a product read earlier has been deleted or written since (its <c>ts</c> moved).</summary>
    private static Fql UnchangedProducts(List<Dictionary<string, object?>> versions) => Fql.Of($$"""
        {{versions}}.forEach(seen => {
          let p = product.byId(seen.id)
          if (p == null || p!.ts != seen.ts) {
            abort({ reason: {{Changed}} })
          }
        })
        """);

    /// <summary>Writes the stock (and stamp) the domain decided for each product.</summary>
    private static Fql SaveStock(IReadOnlyList<Product> products)
    {
        var stock = products
            .Select(product => new Dictionary<string, object?>
            {
                ["id"] = product.Id,
                // Stryker disable once Equality : at exactly a bound the same number goes as @long instead of @int, which Fauna stores as the same number.
                ["quantity"] = product.Quantity is >= int.MinValue and <= int.MaxValue ? (object)(int)product.Quantity : product.Quantity,
                ["updatedAt"] = product.UpdatedAt,
            })
            .ToList();
        return Fql.Of($$"""{{stock}}.forEach(saved => product.byId(saved.id)!.update({ quantity: saved.quantity, updatedAt: saved.updatedAt }))""");
    }

    private static void GiveUpAfter(int attempt, FaunaAbortException abort)
    {
        if (attempt >= OrderAttempts)
        {
            // Stryker disable once String : the message is for the log; the status and code decide the answer.
            throw new FaunaContendedException(409, "contended_transaction", $"The documents kept changing between the read and the write ({attempt} attempts): {abort.Message}");
        }
    }

    private static string? Reason(FaunaAbortException abort) => Field(abort, "reason");

    private static string? Field(FaunaAbortException abort, string field) =>
        abort.Abort is IReadOnlyDictionary<string, object?> fields ? fields.GetValueOrDefault(field) as string : null;

    /// <summary>The stored <c>updatedAt</c> a product version names, or null for an unconditional write.</summary>
    private static DateTimeOffset? ExpectedTime(string? expectedVersion) =>
        expectedVersion is null ? null : StoredTime.Parse(expectedVersion);

    private static bool IsSkuConflict(FaunaConstraintException e) =>
        e.Failures.Any(failure => failure.Involves("sku") || failure.Involves("skuKey"));

    /// <summary>
    /// A page of a collection's listing: the first from <paramref name="firstPage"/>, a later one from the cursor
    /// that <paramref name="nextToken"/> wraps for <paramref name="list"/>.
    /// </summary>
    private async Task<Page<T>> ListAsync<T>(
        Func<Fql> firstPage, string list, string? nextToken, string operation, Func<object?, T> read, CancellationToken cancellationToken)
    {
        var query = nextToken is null ? firstPage() : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(list, nextToken)})");
        await EnsureCurrentAsync(cancellationToken);
        var page = FaunaRead.Page((await _client.QueryPageAsync(query, operation, _scope, cancellationToken)).Data);
        return new Page<T>(page.Data.Select(read).ToList(), FaunaPageTokens.Wrap(list, page.After));
    }

    /// <summary>The document with this id, read by <paramref name="read"/>; null for no such document or an id Fauna never makes.</summary>
    private async Task<T?> GetAsync<T>(string id, Func<Fql> query, string operation, Func<object?, T> read, CancellationToken cancellationToken)
        where T : class
    {
        if (!FaunaRead.IsDocumentId(id))
        {
            return null;
        }

        var answer = await QueryAsync(query(), operation, cancellationToken);
        return FaunaRead.Document(answer.Data) is null ? null : read(answer.Data);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var answer = await QueryAsync(FaunaChanges.Take(query, limit), "audit_list", cancellationToken);
        return FaunaRead.Array(answer.Data)
            .Select(item => FaunaChanges.Read(FaunaRead.Document(item) ?? throw new FaunaProtocolException("A null audit entry.")))
            .ToList();
    }

    public async Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        FaunaRead.Int((await QueryAsync(FaunaChanges.Prune(before), "audit_prune", cancellationToken)).Data, "pruned");

    /// <summary>
    /// <paramref name="write"/> (the statement that changes the document), after the statement that creates the
    /// change's audit entry naming <paramref name="target"/>: one query, one transaction. As it is without an audit.
    /// </summary>
    private Fql Audited(string target, Fql write) =>
        _audit is null ? write : Fql.Of($"{FaunaChanges.CreateEntry(_audit(), Fql.Of($"{target}"))}\n{write}");

    /// <summary><paramref name="create"/> (a document's creation), with the audit entry naming the new document's id.</summary>
    private Fql AuditedCreate(Fql create) => _audit is null
        ? create
        : Fql.Of($"let created = {create}\n{FaunaChanges.CreateEntry(_audit(), Fql.Of($"created.id"))}\ncreated");

    private async Task<FaunaResponse> QueryAsync(Fql query, string operation, CancellationToken cancellationToken)
    {
        await EnsureCurrentAsync(cancellationToken);
        return await _client.QueryAsync(query, operation, _scope, cancellationToken);
    }

    private Task EnsureCurrentAsync(CancellationToken cancellationToken) =>
        _ensureCurrent is null ? Task.CompletedTask : _ensureCurrent(TenantId, cancellationToken);

    private static Dictionary<string, object?> ProductFields(ProductDraft draft, DateTimeOffset now) => new()
    {
        ["name"] = draft.Name,
        ["description"] = draft.Description,
        ["sku"] = draft.Sku,
        ["skuKey"] = Skus.Key(draft.Sku),
        ["priceCents"] = Cents.Of(draft.Price),
        ["quantity"] = draft.Quantity,
        ["backorderedLimit"] = draft.BackorderedLimit,
        ["updatedAt"] = StoredTime.Truncate(now),
    };

    private static Product ReadProduct(object? item)
    {
        var document = FaunaRead.Document(item) ?? throw new FaunaProtocolException("Expected a product.");
        return new Product(
            document.Id ?? throw new FaunaProtocolException("A product without an id."),
            FaunaRead.String(document, "name"),
            FaunaRead.OptionalString(document, "description"),
            FaunaRead.String(document, "sku"),
            Cents.ToPrice(FaunaRead.Long(document["priceCents"], "priceCents")),
            FaunaRead.Long(document["quantity"], "quantity"),
            FaunaRead.Long(document["backorderedLimit"], "backorderedLimit"),
            FaunaRead.Time(document["createdAt"], "createdAt"),
            FaunaRead.Time(document["updatedAt"], "updatedAt"));
    }

    private static Order ReadOrder(object? item)
    {
        var document = FaunaRead.Document(item) ?? throw new FaunaProtocolException("Expected an order.");
        return new Order(
            document.Id ?? throw new FaunaProtocolException("An order without an id."),
            FaunaRead.String(document, "orderName"),
            FaunaRead.Time(document["creationDate"], "creationDate"),
            FaunaRead.String(document, "status"),
            FaunaRead.Array(document["orderProducts"]).Select(line => line is IReadOnlyDictionary<string, object?> fields
                ? new OrderLine(
                    fields.GetValueOrDefault("productId") as string ?? throw new FaunaProtocolException("An order line without productId."),
                    fields.GetValueOrDefault("productName") as string ?? string.Empty,
                    fields.GetValueOrDefault("productSku") as string ?? string.Empty,
                    fields.GetValueOrDefault("productDescription") as string,
                    FaunaRead.Int(fields.GetValueOrDefault("quantity"), "quantity"),
                    Cents.ToPrice(FaunaRead.Long(fields.GetValueOrDefault("priceCents"), "priceCents")))
                : throw new FaunaProtocolException("An order line is not an object.")).ToList());
    }
}
