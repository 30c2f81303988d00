namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>Products and orders in one tenant's SQLite file.</summary>
public sealed class SqliteTenantDatabase(string tenantId, string path) : ITenantDatabase
{
    private readonly string _connectionString = Sqlite.ConnectionString(path, pooling: true);

    public string TenantId { get; } = tenantId;

    // The data-plane issue fills these in.
    public Task<Page<Product>> ListProductsAsync(int limit, string? nextToken, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<bool> DeleteProductAsync(string productId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<Order?> UpdateOrderAsync(string orderId, string? orderName, string? status, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<bool> DeleteOrderAsync(string orderId, CancellationToken cancellationToken) => throw new NotImplementedException();
}
