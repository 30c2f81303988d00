namespace SaasOnboarding.Api.Orders;

public static class OrderMappings
{
    public static OrderResponse ToResponse(this Order order) => new(
        order.Id,
        order.OrderName,
        order.CreationDate,
        order.Status,
        [.. order.OrderProducts.Select(line => new OrderLineResponse(line.ProductId, line.ProductName, line.ProductSku, line.ProductDescription, line.Quantity, line.Price))],
        order.Total);

    /// <summary>Whether <paramref name="lines"/> are this order's lines: same products and quantities, in order.</summary>
    public static bool HasLines(this Order order, IReadOnlyList<OrderLineRequest> lines) =>
        order.OrderProducts.Select(line => (line.ProductId, line.Quantity)).SequenceEqual(lines.Select(line => (line.ProductId, line.Quantity)));
}
