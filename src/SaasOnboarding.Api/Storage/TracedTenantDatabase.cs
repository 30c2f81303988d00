using System.Diagnostics;
using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// One span per call of a tenant's child database (<c>{system} {operation}</c>, e.g. <c>sqlite products.list</c>),
/// with <c>db.system</c> and <c>db.operation.name</c>; the tenant tags come from the request span. Without a
/// listener the call goes straight to the store. Ids, names and values are never recorded.
/// </summary>
public sealed class TracedTenantDatabase(ITenantDatabase inner, string system) : ITenantDatabase
{
    /// <summary>The store's own client, which every call goes to.</summary>
    public ITenantDatabase Store => inner;

    public Task<Page<Product>> ListProductsAsync(int limit, string? nextToken, CancellationToken cancellationToken) =>
        Traced("products.list", store => store.ListProductsAsync(limit, nextToken, cancellationToken));

    public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) =>
        Traced("products.get", store => store.GetProductAsync(productId, cancellationToken));

    public Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken) =>
        Traced("products.create", store => store.CreateProductAsync(draft, cancellationToken));

    public Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("products.update", store => store.UpdateProductAsync(productId, draft, expectedVersion, cancellationToken));

    public Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("products.delete", store => store.DeleteProductAsync(productId, expectedVersion, cancellationToken));

    public Task<Page<Order>> ListOrdersAsync(int limit, string? nextToken, CancellationToken cancellationToken) =>
        Traced("orders.list", store => store.ListOrdersAsync(limit, nextToken, cancellationToken));

    public Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Traced("orders.get", store => store.GetOrderAsync(orderId, cancellationToken));

    public Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken) =>
        Traced("orders.create", store => store.CreateOrderAsync(orderName, lines, cancellationToken));

    public Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("orders.update", store => store.UpdateOrderAsync(orderId, orderName, status, expectedVersion, cancellationToken));

    public Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("orders.delete", store => store.DeleteOrderAsync(orderId, expectedVersion, cancellationToken));

    private Task<T> Traced<T>(string operation, Func<ITenantDatabase, Task<T>> call) =>
        Telemetry.Source.HasListeners() ? TracedAsync(operation, call) : call(inner);

    private async Task<T> TracedAsync<T>(string operation, Func<ITenantDatabase, Task<T>> call)
    {
        using var activity = Telemetry.Source.StartActivity(system + " " + operation, ActivityKind.Client);
        activity?.SetTag("db.system", system);
        activity?.SetTag("db.operation.name", operation);
        try
        {
            return await call(inner);
        }
        catch (Exception e)
        {
            Telemetry.Fail(activity, e);
            throw;
        }
    }
}
