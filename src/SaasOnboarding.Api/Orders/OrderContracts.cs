using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Orders;

/// <summary>One line of an order as a client sends it.</summary>
/// <param name="ProductId">A product of the caller's tenant.</param>
/// <param name="Quantity">1 to 1,000,000,000.</param>
/// <param name="Price">Accepted because workshop clients send it, and ignored: every line is priced from its product.</param>
public sealed record OrderLineInput(string? ProductId, int? Quantity, decimal? Price = null);

/// <summary>A new order: a name and at least one line.</summary>
/// <param name="OrderName">1 to 200 characters.</param>
/// <param name="OrderProducts">1 to 100 lines; two lines for one product take stock for both.</param>
public sealed record OrderRequest(string? OrderName, IReadOnlyList<OrderLineInput?>? OrderProducts)
{
    public const int MaxNameLength = 200;
    public const int MaxLines = 100;

    /// <summary>The order's name and lines, or null with the field errors in <paramref name="errors"/>.</summary>
    public (string OrderName, IReadOnlyList<OrderLineRequest> Lines)? Check(FieldErrors errors)
    {
        var orderName = errors.Text("orderName", OrderName, required: true, MaxNameLength);
        var lines = CheckLines(errors, OrderProducts);
        return errors.IsValid ? (orderName!, lines) : null;
    }

    internal static List<OrderLineRequest> CheckLines(FieldErrors errors, IReadOnlyList<OrderLineInput?>? orderProducts)
    {
        var lines = new List<OrderLineRequest>();
        if (orderProducts is not { Count: > 0 and <= MaxLines })
        {
            errors.Add("orderProducts", $"An order has 1 to {MaxLines} lines.");
            return lines;
        }

        for (var i = 0; i < orderProducts.Count; i++)
        {
            var line = orderProducts[i];
            var productId = errors.Text($"orderProducts[{i}].productId", line?.ProductId, required: true, maxLength: 100);
            if (line?.Quantity is not { } quantity || DataPlaneLimits.LineQuantityProblem(quantity) is not null)
            {
                errors.Add($"orderProducts[{i}].quantity", DataPlaneLimits.LineQuantityProblem(line?.Quantity ?? 0)!);
            }
            else if (productId is not null)
            {
                lines.Add(new OrderLineRequest(productId, quantity));
            }
        }

        return lines;
    }
}

/// <summary>
/// Changes to an order: its name, its status, or both. The lines of a placed order are fixed; a client that sends
/// <c>orderProducts</c> back (as workshop clients do) must send them unchanged.
/// </summary>
/// <param name="OrderName">1 to 200 characters, when given.</param>
/// <param name="OrderStatus"><c>processing</c>, <c>shipped</c>, <c>delivered</c> or <c>cancelled</c>, when given.
/// Status only moves forward: processing → shipped → delivered, and processing or shipped → cancelled (which
/// returns the stock); delivered and cancelled are final.</param>
/// <param name="OrderProducts">Optional; when given, the order's lines as they are (product ids and quantities).</param>
public sealed record OrderUpdateRequest(string? OrderName = null, string? OrderStatus = null, IReadOnlyList<OrderLineInput?>? OrderProducts = null)
{
    /// <summary>The new name and status (each null when unchanged), or null with the field errors in <paramref name="errors"/>.</summary>
    public (string? OrderName, string? Status, IReadOnlyList<OrderLineRequest>? Lines)? Check(FieldErrors errors)
    {
        var orderName = errors.Text("orderName", OrderName, required: false, OrderRequest.MaxNameLength);
        if (OrderName is not null && OrderName.Trim().Length == 0)
        {
            errors.Add("orderName", "Must not be blank.");
        }

        var status = OrderStatus?.Trim().ToLowerInvariant();
        if (status is not null && !SaasOnboarding.Domain.OrderStatus.All.Contains(status))
        {
            errors.Add("orderStatus", $"Must be one of {string.Join(", ", SaasOnboarding.Domain.OrderStatus.All)}.");
        }

        if (OrderName is null && OrderStatus is null)
        {
            errors.Add("orderStatus", "Give an orderName, an orderStatus, or both.");
        }

        var lines = OrderProducts is null ? null : OrderRequest.CheckLines(errors, OrderProducts);
        return errors.IsValid ? (orderName, status, lines) : null;
    }
}

public sealed record OrderLineResponse(
    string ProductId,
    string ProductName,
    string ProductSku,
    string? ProductDescription,
    int Quantity,
    decimal Price);

/// <summary>An order as the API shows it; <c>total</c> is the sum of price × quantity over its lines.</summary>
public sealed record OrderResponse(
    string Id,
    string OrderName,
    DateTimeOffset CreationDate,
    string Status,
    IReadOnlyList<OrderLineResponse> OrderProducts,
    decimal Total);

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
