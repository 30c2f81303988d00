namespace SaasOnboarding.Domain;

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

    public static bool IsKnown(string status) => All.Contains(status);

    /// <summary>Whether an order may go from <paramref name="from"/> to <paramref name="to"/>; staying put is always allowed.</summary>
    public static bool CanMove(string from, string to) => from == to || Moves.Contains(from + ">" + to);

    /// <summary>
    /// Whether an order in <paramref name="status"/> holds stock that has not left the warehouse: a processing
    /// order. A cancelled one gave it back already; a shipped or delivered one took it for real.
    /// </summary>
    public static bool HoldsStock(string status) => status == Processing;
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

/// <summary>One product's share of an order: the sum of the quantities of the lines that name it.</summary>
public sealed record ProductQuantity(string ProductId, long Quantity);

/// <summary>An order's name and status: the part of a placed order that can change, and its version.</summary>
public sealed record OrderHead(string Name, string Status)
{
    public string Version => Order.VersionOf(Status, Name);
}

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

/// <summary>
/// Changing and deleting a placed order. The store loads the order's head (and, when <see cref="Change.ReturnsStock"/>,
/// the order's lines and the products they name) in its transaction, asks here, and saves the answer.
/// </summary>
public static class OrderChanges
{
    /// <summary>
    /// A rename and/or a status move. Refused (nothing to save, not even the name) for a stale
    /// <paramref name="expectedVersion"/> (PreconditionFailed) or a move <see cref="OrderStatus.CanMove"/> refuses
    /// (TransitionRefused, with the current status). Moving to cancelled returns the stock.
    /// </summary>
    public static Change Update(OrderHead current, string? orderName, string? status, string? expectedVersion)
    {
        if (status is not null && !OrderStatus.IsKnown(status))
        {
            // Stryker disable once String : the message is for a developer; the API refuses an unknown status first.
            throw new ArgumentException($"'{status}' is not an order status.", nameof(status));
        }

        if (expectedVersion is not null && current.Version != expectedVersion)
        {
            return Change.Refused(new OrderWrite(WriteOutcome.PreconditionFailed), current);
        }

        if (status is not null && !OrderStatus.CanMove(current.Status, status))
        {
            return Change.Refused(new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: current.Status), current);
        }

        var next = new OrderHead(orderName ?? current.Name, status ?? current.Status);
        return new Change(null, next, next.Status == OrderStatus.Cancelled && current.Status != OrderStatus.Cancelled);
    }

    /// <summary>Deleting: refused for a stale version; a processing order returns its stock.</summary>
    public static Change Delete(OrderHead current, string? expectedVersion) =>
        expectedVersion is not null && current.Version != expectedVersion
            ? Change.Refused(new OrderWrite(WriteOutcome.PreconditionFailed), current)
            : new Change(null, current, OrderStatus.HoldsStock(current.Status));

    /// <param name="Refusal">Why nothing may be saved, or null when the change goes ahead.</param>
    /// <param name="Next">The order's head after the change (unchanged when refused).</param>
    /// <param name="ReturnsStock">Whether the order's stock goes back to its products (<see cref="Stock.Return"/>).</param>
    public sealed record Change(OrderWrite? Refusal, OrderHead Next, bool ReturnsStock)
    {
        internal static Change Refused(OrderWrite refusal, OrderHead current) => new(refusal, current, false);
    }
}

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
