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

    public Task<Page<Product>> ListProductsAsync(ProductQuery query, int limit, string? nextToken, CancellationToken cancellationToken) =>
        Traced("products.list", (query, limit, nextToken), static (store, a, ct) => store.ListProductsAsync(a.query, a.limit, a.nextToken, ct), cancellationToken);

    public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) =>
        Traced("products.get", productId, static (store, id, ct) => store.GetProductAsync(id, ct), cancellationToken);

    public Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken) =>
        Traced("products.create", draft, static (store, d, ct) => store.CreateProductAsync(d, ct), cancellationToken);

    public Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("products.update", (productId, draft, expectedVersion), static (store, a, ct) => store.UpdateProductAsync(a.productId, a.draft, a.expectedVersion, ct), cancellationToken);

    public Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("products.delete", (productId, expectedVersion), static (store, a, ct) => store.DeleteProductAsync(a.productId, a.expectedVersion, ct), cancellationToken);

    public Task<Page<Order>> ListOrdersAsync(OrderQuery query, int limit, string? nextToken, CancellationToken cancellationToken) =>
        Traced("orders.list", (query, limit, nextToken), static (store, a, ct) => store.ListOrdersAsync(a.query, a.limit, a.nextToken, ct), cancellationToken);

    public Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        Traced("orders.get", orderId, static (store, id, ct) => store.GetOrderAsync(id, ct), cancellationToken);

    public Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken) =>
        Traced("orders.create", (orderName, lines), static (store, a, ct) => store.CreateOrderAsync(a.orderName, a.lines, ct), cancellationToken);

    public Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("orders.update", (orderId, orderName, status, expectedVersion), static (store, a, ct) => store.UpdateOrderAsync(a.orderId, a.orderName, a.status, a.expectedVersion, ct), cancellationToken);

    public Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken) =>
        Traced("orders.delete", (orderId, expectedVersion), static (store, a, ct) => store.DeleteOrderAsync(a.orderId, a.expectedVersion, ct), cancellationToken);

    public Task ImportAsync(IReadOnlyList<Product> products, IReadOnlyList<Order> orders, CancellationToken cancellationToken) =>
        Traced("records.import", (products, orders), static async (store, a, ct) =>
        {
            await store.ImportAsync(a.products, a.orders, ct);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, CancellationToken cancellationToken) =>
        Traced("audit.list", (query, limit), static (store, a, ct) => store.ListAuditAsync(a.query, a.limit, ct), cancellationToken);

    public Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Traced("audit.prune", before, static (store, b, ct) => store.PruneAuditAsync(b, ct), cancellationToken);

    // The call's arguments travel as state to a static lambda: nothing is allocated for a call that is not traced.
    private Task<T> Traced<TArguments, T>(string operation, TArguments arguments, Func<ITenantDatabase, TArguments, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Telemetry.Source.HasListeners() ? TracedAsync(operation, arguments, call, cancellationToken) : call(inner, arguments, cancellationToken);

    private async Task<T> TracedAsync<TArguments, T>(string operation, TArguments arguments, Func<ITenantDatabase, TArguments, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.Source.StartActivity(system + " " + operation, ActivityKind.Client);
        activity?.SetTag("db.system", system);
        activity?.SetTag("db.operation.name", operation);
        try
        {
            return await call(inner, arguments, cancellationToken);
        }
        catch (Exception e)
        {
            Telemetry.Fail(activity, e);
            throw;
        }
    }
}
