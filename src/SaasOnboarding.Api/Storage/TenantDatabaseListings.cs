namespace SaasOnboarding.Api.Storage;

/// <summary>The unfiltered listings of a tenant's database.</summary>
public static class TenantDatabaseListings
{
    /// <summary>Every product, oldest first (<see cref="ProductQuery.All"/>).</summary>
    public static Task<Page<Product>> ListProductsAsync(this ITenantDatabase database, int limit, string? nextToken, CancellationToken cancellationToken) =>
        database.ListProductsAsync(ProductQuery.All, limit, nextToken, cancellationToken);

    /// <summary>Every order, newest first (<see cref="OrderQuery.All"/>).</summary>
    public static Task<Page<Order>> ListOrdersAsync(this ITenantDatabase database, int limit, string? nextToken, CancellationToken cancellationToken) =>
        database.ListOrdersAsync(OrderQuery.All, limit, nextToken, cancellationToken);
}
