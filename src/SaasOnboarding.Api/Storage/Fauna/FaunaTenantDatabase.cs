namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// Products and orders in one tenant's child database, always through the parent key scoped to that child
/// (<c>&lt;key&gt;:tenant_&lt;id&gt;:server</c>): a query here cannot name another tenant's data.
/// </summary>
public sealed class FaunaTenantDatabase : ITenantDatabase
{
    internal const string ProductsList = "products";
    internal const string OrdersList = "orders";
    internal const string MissingProduct = "missing_product";
    internal const string InsufficientStock = "insufficient_stock";
    internal const string PreconditionFailed = "precondition_failed";
    internal const string TransitionRefused = "transition_refused";
    internal const string BoundExceeded = "bound_exceeded";

    private readonly FaunaClient _client;
    private readonly FaunaScope _scope;
    private readonly TimeProvider _time;
    private readonly Func<string, CancellationToken, Task>? _ensureCurrent;

    /// <summary>A client of one child database; <c>ensureCurrent</c> runs before every query (the schema version check).</summary>
    public FaunaTenantDatabase(FaunaClient client, string tenantId, TimeProvider time, Func<string, CancellationToken, Task>? ensureCurrent = null)
    {
        _ensureCurrent = ensureCurrent;
        _client = client;
        _time = time;
        _scope = new FaunaScope(TenantIds.DatabaseName(tenantId), "server");
        TenantId = tenantId;
    }

    public string TenantId { get; }

    public async Task<Page<Product>> ListProductsAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var query = nextToken is null
            ? Fql.Of($"product.sortedByCreatedAt().pageSize({limit})")
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(ProductsList, nextToken)})");
        await EnsureCurrentAsync(cancellationToken);
        var page = FaunaRead.Page((await _client.QueryPageAsync(query, "product_list", _scope, cancellationToken)).Data);
        return new Page<Product>(page.Data.Select(ReadProduct).ToList(), FaunaPageTokens.Wrap(ProductsList, page.After));
    }

    public async Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(productId))
        {
            return null;
        }

        var answer = await QueryAsync(Fql.Of($"product.byId({productId})"), "product_get", cancellationToken);
        return FaunaRead.Document(answer.Data) is null ? null : ReadProduct(answer.Data);
    }

    public async Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var fields = ProductFields(draft, now);
        fields["createdAt"] = now;
        try
        {
            var answer = await QueryAsync(Fql.Of($"product.create({fields})"), "product_create", cancellationToken);
            return new ProductWrite(WriteOutcome.Done, ReadProduct(answer.Data));
        }
        catch (FaunaConstraintException e) when (IsSkuConflict(e))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }
    }

    /// <summary>
    /// One query: the version is compared with the stored <c>updatedAt</c> and a stale one aborts, so nothing is
    /// written between the check and the write.
    /// </summary>
    public async Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(productId))
        {
            return new ProductWrite(WriteOutcome.NotFound);
        }

        var fields = ProductFields(draft, _time.GetUtcNow());
        try
        {
            var answer = await QueryAsync(
                Fql.Of($$"""
                    let p = product.byId({{productId}})
                    let expected = {{ExpectedTime(expectedVersion)}}
                    if (p == null) {
                      null
                    } else if (expected != null && p!.updatedAt != expected) {
                      abort({ reason: {{PreconditionFailed}} })
                    } else {
                      p!.update({{fields}})
                    }
                    """),
                "product_update",
                cancellationToken);
            return FaunaRead.Document(answer.Data) is null
                ? new ProductWrite(WriteOutcome.NotFound)
                : new ProductWrite(WriteOutcome.Done, ReadProduct(answer.Data));
        }
        catch (FaunaConstraintException e) when (IsSkuConflict(e))
        {
            return new ProductWrite(WriteOutcome.Conflict);
        }
        catch (FaunaAbortException e) when (Reason(e) == PreconditionFailed)
        {
            return new ProductWrite(WriteOutcome.PreconditionFailed);
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
                      p!.delete()
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

    public async Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var query = nextToken is null
            ? Fql.Of($"order.sortedByCreationDate().pageSize({limit})")
            : Fql.Of($"Set.paginate({FaunaPageTokens.Unwrap(OrdersList, nextToken)})");
        await EnsureCurrentAsync(cancellationToken);
        var page = FaunaRead.Page((await _client.QueryPageAsync(query, "order_list", _scope, cancellationToken)).Data);
        return new Page<Order>(page.Data.Select(ReadOrder).ToList(), FaunaPageTokens.Wrap(OrdersList, page.After));
    }

    public async Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(orderId))
        {
            return null;
        }

        var answer = await QueryAsync(Fql.Of($"order.byId({orderId})"), "order_get", cancellationToken);
        return FaunaRead.Document(answer.Data) is null ? null : ReadOrder(answer.Data);
    }

    /// <summary>
    /// One transaction: every product named is read, checked against the lines' total and decremented, then the order is written with each
    /// line priced from its product. <c>abort</c> on a missing product or short stock undoes all of it.
    /// </summary>
    public async Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0 || lines.Any(line => line.Quantity < 1))
        {
            throw new ArgumentException("An order needs at least one line, each with a quantity of at least 1.", nameof(lines));
        }

        if (lines.FirstOrDefault(line => !FaunaRead.IsDocumentId(line.ProductId)) is { } unknown)
        {
            return new OrderCreation(null, MissingProductId: unknown.ProductId);
        }

        var requested = lines
            .Select(line => new Dictionary<string, object?> { ["productId"] = line.ProductId, ["quantity"] = line.Quantity })
            .ToList();

        // Lines naming one product count together against its stock, and a short product reports the stock it had.
        var needs = lines
            .GroupBy(line => line.ProductId, StringComparer.Ordinal)
            .Select(group => (ProductId: group.Key, Total: group.Sum(line => (long)line.Quantity)))
            .Select(need => new Dictionary<string, object?>
            {
                ["productId"] = need.ProductId,
                ["quantity"] = need.Total <= int.MaxValue ? (object)(int)need.Total : need.Total,
            })
            .ToList();
        var creationDate = _time.GetUtcNow();
        var now = StoredTime.Parse(StoredTime.Format(creationDate));
        try
        {
            var answer = await QueryAsync(
                Fql.Of($$"""
                    let lines = {{requested}}
                    let needs = {{needs}}
                    needs.forEach(need => {
                      let p = product.byId(need.productId)
                      if (p == null) {
                        abort({ reason: {{MissingProduct}}, productId: need.productId })
                      }
                      if (p!.quantity < need.quantity) {
                        abort({ reason: {{InsufficientStock}}, productId: need.productId, available: p!.quantity })
                      }
                      p!.update({ quantity: p!.quantity - need.quantity, updatedAt: {{now}} })
                    })
                    let priced = lines.map(line => {
                      let p = product.byId(line.productId)!
                      {
                        productId: line.productId,
                        productName: p.name,
                        productSku: p.sku,
                        productDescription: p.description,
                        quantity: line.quantity,
                        priceCents: p.priceCents
                      }
                    })
                    order.create({
                      orderName: {{orderName}},
                      creationDate: {{creationDate}},
                      status: {{OrderStatus.Processing}},
                      orderProducts: priced
                    })
                    """),
                "order_create",
                cancellationToken);
            return new OrderCreation(ReadOrder(answer.Data));
        }
        catch (FaunaAbortException e) when (e.Abort is IReadOnlyDictionary<string, object?> reason)
        {
            var productId = reason.GetValueOrDefault("productId") as string;
            return reason.GetValueOrDefault("reason") switch
            {
                MissingProduct => new OrderCreation(null, MissingProductId: productId),
                InsufficientStock => new OrderCreation(null, ShortProductId: productId, Available: FaunaRead.Long(reason.GetValueOrDefault("available"), "available")),
                _ => throw new FaunaProtocolException("An order abort with an unknown reason."),
            };
        }
    }

    /// <summary>
    /// One transaction: the version check, the status move check, the stock returned on cancelling (each product
    /// checked against <see cref="DataPlaneLimits.MaxStock"/>, written so that the check itself cannot overflow)
    /// and the write. Any refusal aborts, so nothing is written, not even the name.
    /// </summary>
    public async Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (status is not null && !OrderStatus.All.Contains(status))
        {
            throw new ArgumentException($"'{status}' is not an order status.", nameof(status));
        }

        if (!FaunaRead.IsDocumentId(orderId))
        {
            return new OrderWrite(WriteOutcome.NotFound);
        }

        var now = StoredTime.Parse(StoredTime.Format(_time.GetUtcNow()));
        try
        {
            var answer = await QueryAsync(
                Fql.Of($$"""
                    let o = order.byId({{orderId}})
                    let asked = {{status}}
                    let expected = {{expectedVersion}}
                    let cancelled = {{OrderStatus.Cancelled}}
                    if (o == null) {
                      null
                    } else {
                      if (expected != null && o!.status + ":" + o!.orderName != expected) {
                        abort({ reason: {{PreconditionFailed}} })
                      }
                      if (asked != null && asked != o!.status && !{{OrderStatus.Moves}}.includes(o!.status + ">" + asked)) {
                        abort({ reason: {{TransitionRefused}}, status: o!.status })
                      }
                      if (asked == cancelled && o!.status != cancelled) {
                        o!.orderProducts.forEach(line => {
                          let p = product.byId(line.productId)
                          if (p != null) {
                            if (p!.quantity > {{DataPlaneLimits.MaxStock}} - line.quantity) {
                              abort({ reason: {{BoundExceeded}}, productId: line.productId })
                            }
                            p!.update({ quantity: p!.quantity + line.quantity, updatedAt: {{now}} })
                          }
                        })
                      }
                      o!.update({ orderName: {{orderName}} ?? o!.orderName, status: asked ?? o!.status })
                    }
                    """),
                "order_update",
                cancellationToken);
            return FaunaRead.Document(answer.Data) is null
                ? new OrderWrite(WriteOutcome.NotFound)
                : new OrderWrite(WriteOutcome.Done, ReadOrder(answer.Data));
        }
        catch (FaunaAbortException e) when (OrderRefusal(e) is { } refusal)
        {
            return refusal;
        }
    }

    public async Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken)
    {
        if (!FaunaRead.IsDocumentId(orderId))
        {
            return new OrderWrite(WriteOutcome.NotFound);
        }

        var now = StoredTime.Parse(StoredTime.Format(_time.GetUtcNow()));
        try
        {
            var answer = await QueryAsync(
                Fql.Of($$"""
                    let o = order.byId({{orderId}})
                    let expected = {{expectedVersion}}
                    if (o == null) {
                      false
                    } else {
                      if (expected != null && o!.status + ":" + o!.orderName != expected) {
                        abort({ reason: {{PreconditionFailed}} })
                      }
                      if (o!.status == {{OrderStatus.Processing}}) {
                        o!.orderProducts.forEach(line => {
                          let p = product.byId(line.productId)
                          if (p != null) {
                            if (p!.quantity > {{DataPlaneLimits.MaxStock}} - line.quantity) {
                              abort({ reason: {{BoundExceeded}}, productId: line.productId })
                            }
                            p!.update({ quantity: p!.quantity + line.quantity, updatedAt: {{now}} })
                          }
                        })
                      }
                      o!.delete()
                      true
                    }
                    """),
                "order_delete",
                cancellationToken);
            return FaunaRead.Bool(answer.Data, "deleted") ? new OrderWrite(WriteOutcome.Done) : new OrderWrite(WriteOutcome.NotFound);
        }
        catch (FaunaAbortException e) when (OrderRefusal(e) is { } refusal)
        {
            return refusal;
        }
    }

    private static OrderWrite? OrderRefusal(FaunaAbortException abort) => Reason(abort) switch
    {
        PreconditionFailed => new OrderWrite(WriteOutcome.PreconditionFailed),
        TransitionRefused => new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: Field(abort, "status")),
        BoundExceeded => new OrderWrite(WriteOutcome.BoundExceeded, ProductId: Field(abort, "productId")),
        _ => null,
    };

    private static string? Reason(FaunaAbortException abort) => Field(abort, "reason");

    private static string? Field(FaunaAbortException abort, string field) =>
        abort.Abort is IReadOnlyDictionary<string, object?> fields ? fields.GetValueOrDefault(field) as string : null;

    /// <summary>The stored <c>updatedAt</c> a product version names, or null for an unconditional write.</summary>
    private static DateTimeOffset? ExpectedTime(string? expectedVersion) =>
        expectedVersion is null ? null : StoredTime.Parse(expectedVersion);

    private static bool IsSkuConflict(FaunaConstraintException e) =>
        e.Failures.Any(failure => failure.Involves("sku") || failure.Involves("skuKey"));

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
        ["priceCents"] = FaunaRead.ToCents(draft.Price),
        ["quantity"] = draft.Quantity,
        ["backorderedLimit"] = draft.BackorderedLimit,
        ["updatedAt"] = StoredTime.Parse(StoredTime.Format(now)),
    };

    private static Product ReadProduct(object? item)
    {
        var document = FaunaRead.Document(item) ?? throw new FaunaProtocolException("Expected a product.");
        return new Product(
            document.Id ?? throw new FaunaProtocolException("A product without an id."),
            FaunaRead.String(document, "name"),
            FaunaRead.OptionalString(document, "description"),
            FaunaRead.String(document, "sku"),
            FaunaRead.FromCents(FaunaRead.Long(document["priceCents"], "priceCents")),
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
                    FaunaRead.FromCents(FaunaRead.Long(fields.GetValueOrDefault("priceCents"), "priceCents")))
                : throw new FaunaProtocolException("An order line is not an object.")).ToList());
    }
}
