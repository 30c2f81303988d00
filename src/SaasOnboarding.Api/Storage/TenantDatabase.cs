namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A product as stored. Quantities read as <see cref="long"/> so that a value stored beyond the bounds of
/// <see cref="DataPlaneLimits"/> (written before they existed) still reads.
/// </summary>
public sealed record Product(
    string Id,
    string Name,
    string? Description,
    string Sku,
    decimal Price,
    long Quantity,
    long BackorderedLimit,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool Backordered => Quantity < BackorderedLimit;

    /// <summary>
    /// What the entity tag is made from: the stored <see cref="UpdatedAt"/>, which every write of the product
    /// (stock taken or returned included) moves forward.
    /// </summary>
    public string Version => StoredTime.Format(UpdatedAt);
}

/// <summary>The fields a caller sets on a product.</summary>
public sealed record ProductDraft(string Name, string? Description, string Sku, decimal Price, int Quantity, int BackorderedLimit);

/// <summary>The statuses of an order, and the moves between them.</summary>
public static class OrderStatus
{
    public const string Processing = "processing";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Processing, Shipped, Delivered, Cancelled];

    /// <summary>The moves allowed, as <c>from&gt;to</c>: delivered and cancelled are final.</summary>
    public static readonly IReadOnlyList<string> Moves =
        [Processing + ">" + Shipped, Shipped + ">" + Delivered, Processing + ">" + Cancelled, Shipped + ">" + Cancelled];

    /// <summary>Whether an order may go from <paramref name="from"/> to <paramref name="to"/>; staying put is always allowed.</summary>
    public static bool CanMove(string from, string to) => from == to || Moves.Contains(from + ">" + to);
}

public sealed record OrderLine(
    string ProductId,
    string ProductName,
    string ProductSku,
    string? ProductDescription,
    int Quantity,
    decimal Price);

public sealed record Order(
    string Id,
    string OrderName,
    DateTimeOffset CreationDate,
    string Status,
    IReadOnlyList<OrderLine> OrderProducts)
{
    public decimal Total => OrderProducts.Sum(line => line.Price * line.Quantity);

    /// <summary>
    /// What the entity tag is made from. The lines of a placed order never change, so its name and status are
    /// all of it that can; equal versions mean equal orders.
    /// </summary>
    public string Version => VersionOf(Status, OrderName);

    public static string VersionOf(string status, string orderName) => status + ":" + orderName;
}

public sealed record OrderLineRequest(string ProductId, int Quantity);

/// <summary>What a write did.</summary>
public enum WriteOutcome
{
    /// <summary>Written.</summary>
    Done,

    /// <summary>No such product or order in this tenant; nothing written.</summary>
    NotFound,

    /// <summary>The SKU is taken in this tenant (ignoring case); nothing written.</summary>
    Conflict,

    /// <summary>The order's status may not move to the one asked for; nothing written.</summary>
    TransitionRefused,

    /// <summary>The write would push a stored value past a bound of <see cref="DataPlaneLimits"/>; nothing written.</summary>
    BoundExceeded,

    /// <summary>The stored version is not the one the caller expected (a stale <c>If-Match</c>); nothing written.</summary>
    PreconditionFailed,
}

/// <summary>Creating an order: either the order, or why not (a missing product, or too little stock).</summary>
public sealed record OrderCreation(Order? Order, string? MissingProductId = null, string? ShortProductId = null, long Available = 0);

/// <summary>A product write: the product as written when <see cref="Outcome"/> is Done.</summary>
public sealed record ProductWrite(WriteOutcome Outcome, Product? Product = null);

/// <summary>
/// An order write: the order as written when <see cref="Outcome"/> is Done; the status it has when a move was
/// refused (<see cref="CurrentStatus"/>); the product whose stock would pass its bound (<see cref="ProductId"/>).
/// </summary>
public sealed record OrderWrite(WriteOutcome Outcome, Order? Order = null, string? CurrentStatus = null, string? ProductId = null);

/// <summary>
/// A tenant's child database. An instance is bound to one tenant when it is opened and cannot name another.
/// </summary>
public interface ITenantDatabase
{
    string TenantId { get; }

    Task<Page<Product>> ListProductsAsync(int limit, string? nextToken, CancellationToken cancellationToken);

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

    Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken);

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
}

/// <summary>Creates, removes and opens child databases.</summary>
public interface ITenantDatabases
{
    /// <summary>Creates the child database with its product and order schema, completely or not at all.</summary>
    Task CreateAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Removes the child database. Idempotent.</summary>
    Task DeleteAsync(string tenantId, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the child database to the latest schema version (docs/schema-changes.md); a database at it is left
    /// as it is. Open does the same on a tenant's first use after a start; the <c>migrate</c> command calls this.
    /// </summary>
    Task<SchemaUpgrade> UpgradeAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>A client bound to this tenant's child database only; checks its schema version at first use.</summary>
    ITenantDatabase Open(string tenantId);
}
