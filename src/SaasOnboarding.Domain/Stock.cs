namespace SaasOnboarding.Domain;

/// <summary>Giving an order's stock back to its products.</summary>
public static class Stock
{
    /// <summary>
    /// Each line's quantity back on its product; a product deleted since (absent from <paramref name="products"/>)
    /// has nothing to take it. Refused with the first product (in ascending id order) whose stock would pass
    /// <see cref="DataPlaneLimits.MaxStock"/>, and then nothing is to be saved.
    /// </summary>
    public static Returned Return(IEnumerable<OrderLine> lines, IReadOnlyDictionary<string, Product> products, DateTimeOffset now)
    {
        var returned = lines
            .Where(line => products.ContainsKey(line.ProductId))
            .GroupBy(line => line.ProductId, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => (Product: products[group.Key], Quantity: products[group.Key].Quantity + group.Sum(line => (long)line.Quantity)))
            .ToList();
        if (returned.FirstOrDefault(item => item.Quantity > DataPlaneLimits.MaxStock) is { Product: { } overBound })
        {
            return new Returned(overBound.Id, []);
        }

        return new Returned(null, [.. returned.Select(item => item.Product.WithStock(item.Quantity, now))]);
    }

    /// <param name="OverBoundProductId">The product whose stock would pass its bound, or null when the stock may go back.</param>
    /// <param name="Products">The products with their stock returned, to save; empty when refused.</param>
    public sealed record Returned(string? OverBoundProductId, IReadOnlyList<Product> Products);
}
