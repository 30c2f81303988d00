namespace SaasOnboarding.Domain;

/// <summary>
/// Placing an order: what it may take, and the order and products to save when it may. The store loads the
/// products named (<see cref="Needs"/>), under its lock or with their versions, and saves what <see cref="Place"/>
/// answers, all in one transaction.
/// </summary>
public static class OrderPlacement
{
    /// <summary>Refuses what is not an order: no line, or a line quantity out of bounds.</summary>
    public static void Check(IReadOnlyList<OrderLineRequest> lines)
    {
        if (lines.Count == 0 || lines.Any(line => DataPlaneLimits.LineQuantityProblem(line.Quantity) is not null))
        {
            // Stryker disable once String : the message is for a developer; the API refuses such a body first.
            throw new ArgumentException(
                $"An order needs at least one line, each with a quantity of 1 to {DataPlaneLimits.MaxLineQuantity}.", nameof(lines));
        }
    }

    /// <summary>
    /// What the order takes from each product: lines naming one product count together. In ascending (ordinal)
    /// product id order, the order in which stores lock rows so that concurrent orders queue and never deadlock.
    /// </summary>
    public static IReadOnlyList<ProductQuantity> Needs(IReadOnlyList<OrderLineRequest> lines) =>
        [.. lines
            .GroupBy(line => line.ProductId, StringComparer.Ordinal)
            .Select(group => new ProductQuantity(group.Key, group.Sum(line => (long)line.Quantity)))
            .OrderBy(need => need.ProductId, StringComparer.Ordinal)];

    /// <summary>
    /// Prices every line from its product as it is now (the line keeps that copy when the product changes later)
    /// and takes the stock. Refused, with nothing to save, when a product is missing (the first line's in line
    /// order) or, every product being there, when one has too little stock (the first line's, with what it has).
    /// <paramref name="products"/> are the products the lines name as loaded in the store's transaction; an
    /// absent one is missing.
    /// </summary>
    public static Placement Place(
        string orderId, string orderName, IReadOnlyList<OrderLineRequest> lines, IReadOnlyDictionary<string, Product> products, DateTimeOffset now)
    {
        Check(lines);
        if (lines.FirstOrDefault(line => !products.ContainsKey(line.ProductId)) is { } missing)
        {
            return new Placement(new OrderCreation(null, MissingProductId: missing.ProductId), []);
        }

        var needs = Needs(lines).ToDictionary(need => need.ProductId, need => need.Quantity, StringComparer.Ordinal);
        if (lines.FirstOrDefault(line => products[line.ProductId].Quantity < needs[line.ProductId]) is { } shortLine)
        {
            var product = products[shortLine.ProductId];
            return new Placement(new OrderCreation(null, ShortProductId: product.Id, Available: product.Quantity), []);
        }

        var order = new Order(
            orderId,
            orderName,
            StoredTime.Truncate(now),
            OrderStatus.Processing,
            [.. lines.Select(line =>
            {
                var product = products[line.ProductId];
                return new OrderLine(product.Id, product.Name, product.Sku, product.Description, line.Quantity, product.Price);
            })]);
        IReadOnlyList<Product> taken =
            [.. needs.OrderBy(need => need.Key, StringComparer.Ordinal)
                .Select(need => products[need.Key].WithStock(products[need.Key].Quantity - need.Value, now))];
        return new Placement(new OrderCreation(order), taken);
    }

    /// <param name="Outcome">The order placed, or why not.</param>
    /// <param name="Products">The products with their stock taken, to save with the order; empty when refused.</param>
    public sealed record Placement(OrderCreation Outcome, IReadOnlyList<Product> Products);
}
