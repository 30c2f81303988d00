namespace SaasOnboarding.Api.Storage;

public sealed record Product(
    string Id,
    string Name,
    string? Description,
    string Sku,
    decimal Price,
    int Quantity,
    int BackorderedLimit,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool Backordered => Quantity < BackorderedLimit;
}

/// <summary>The fields a caller sets on a product.</summary>
public sealed record ProductDraft(string Name, string? Description, string Sku, decimal Price, int Quantity, int BackorderedLimit);

public static class OrderStatus
{
    public const string Processing = "processing";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Processing, Shipped, Delivered, Cancelled];
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
}

public sealed record OrderLineRequest(string ProductId, int Quantity);

public enum WriteOutcome
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>Creating an order: either the order, or why not (a missing product, or too little stock).</summary>
public sealed record OrderCreation(Order? Order, string? MissingProductId = null, string? ShortProductId = null, int Available = 0);

public sealed record ProductWrite(WriteOutcome Outcome, Product? Product = null);

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

    /// <summary>NotFound or Conflict (the SKU is taken by another product).</summary>
    Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, CancellationToken cancellationToken);

    Task<bool> DeleteProductAsync(string productId, CancellationToken cancellationToken);

    Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken);

    Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Prices every line from its product and takes the stock, all in one transaction: if any product is missing
    /// or short, nothing changes.
    /// </summary>
    Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the name and/or status; moving to cancelled returns the stock, in the same transaction. Null when the
    /// order does not exist. A cancelled order is final: asking to move it to another status changes nothing (not
    /// even the name) and answers the order as it is, so a status other than the one asked for means "refused".
    /// </summary>
    Task<Order?> UpdateOrderAsync(string orderId, string? orderName, string? status, CancellationToken cancellationToken);

    /// <summary>Deleting an order that is still processing returns its stock.</summary>
    Task<bool> DeleteOrderAsync(string orderId, CancellationToken cancellationToken);
}

/// <summary>Creates, removes and opens child databases.</summary>
public interface ITenantDatabases
{
    /// <summary>Creates the child database with its product and order schema, completely or not at all.</summary>
    Task CreateAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Removes the child database. Idempotent.</summary>
    Task DeleteAsync(string tenantId, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>A client bound to this tenant's child database only.</summary>
    ITenantDatabase Open(string tenantId);
}
