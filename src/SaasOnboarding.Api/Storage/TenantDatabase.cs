namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A tenant's child database. An instance is bound to one tenant when it is opened and cannot name another, and to
/// the <see cref="DataPlaneAudit"/> it was opened with: each product or order change it makes (create, update,
/// delete) writes that audit entry in the same transaction, naming the record changed. An import writes none.
/// </summary>
public interface ITenantDatabase
{
    /// <summary>
    /// The products <paramref name="query"/> matches, oldest first (creation time, then id), at most
    /// <paramref name="limit"/> after the page <paramref name="nextToken"/> ends; a token of another listing throws
    /// <see cref="InvalidPageTokenException"/>.
    /// </summary>
    Task<Page<Product>> ListProductsAsync(ProductQuery query, int limit, string? nextToken, CancellationToken cancellationToken);

    Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken);

    /// <summary>Conflict: the SKU is taken in this tenant.</summary>
    Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken);

    /// <summary>
    /// NotFound, Conflict (the SKU is taken by another product, ignoring case), or PreconditionFailed when
    /// <paramref name="expectedVersion"/> is given and is not the product's <see cref="Product.Version"/> at the
    /// moment of the write (compared inside the write's transaction).
    /// </summary>
    Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Done, NotFound, or PreconditionFailed (as for an update).</summary>
    Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// The orders <paramref name="query"/> matches, newest first (creation time, then id, both descending), at most
    /// <paramref name="limit"/> after the page <paramref name="nextToken"/> ends; a token of another listing throws
    /// <see cref="InvalidPageTokenException"/>.
    /// </summary>
    Task<Page<Order>> ListOrdersAsync(OrderQuery query, int limit, string? nextToken, CancellationToken cancellationToken);

    Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Prices every line from its product and takes the stock, all in one transaction: if any product is missing
    /// or short, nothing changes.
    /// </summary>
    Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the name and/or status in one transaction; moving to cancelled returns the stock. Anything but Done
    /// changes nothing, not even the name: NotFound; PreconditionFailed (<paramref name="expectedVersion"/> given
    /// and not the order's <see cref="Order.Version"/>); TransitionRefused (a move <see cref="OrderStatus.CanMove"/>
    /// refuses); BoundExceeded (returning the stock would push a product past <see cref="DataPlaneLimits.MaxStock"/>).
    /// </summary>
    Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Deleting an order that is still processing returns its stock. Done, NotFound, PreconditionFailed or
    /// BoundExceeded, as for an update.
    /// </summary>
    Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Writes records as they are (an import): products with their ids, stamps and stock, orders with their ids,
    /// dates, statuses and lines. One call is one transaction, all of it or none. No stock is taken and nothing is
    /// priced: the caller has checked the records by the domain's rules. An id or SKU the database already holds
    /// fails the whole call.
    /// </summary>
    Task ImportAsync(IReadOnlyList<Product> products, IReadOnlyList<Order> orders, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's data-plane audit entries matching <paramref name="query"/> (its <see cref="AuditQuery.TenantId"/>
    /// aside: all are this tenant's), newest first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the entries older than <paramref name="before"/>; answers how many (retention).</summary>
    Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
