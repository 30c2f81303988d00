using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Orders;

/// <summary>One line of a new order. A price sent by the client is not read: lines are priced from the product.</summary>
/// <param name="ProductId">A product of the caller's tenant.</param>
/// <param name="Quantity">One or more.</param>
public sealed record OrderLineInput(string? ProductId, int? Quantity);

/// <summary>A new order: a name and at least one line.</summary>
/// <param name="OrderName">1 to 200 characters.</param>
/// <param name="OrderProducts">1 to 100 lines; two lines for one product take stock for both.</param>
public sealed record OrderRequest(string? OrderName, IReadOnlyList<OrderLineInput?>? OrderProducts)
{
    public const int MaxNameLength = 200;
    public const int MaxLines = 100;

    public Dictionary<string, string[]> Validate(out string orderName, out IReadOnlyList<OrderLineRequest> lines)
    {
        var errors = new Dictionary<string, string[]>();
        orderName = OrderName?.Trim() ?? string.Empty;
        if (orderName.Length is 0 or > MaxNameLength)
        {
            errors["orderName"] = [$"An order name of 1 to {MaxNameLength} characters is required."];
        }

        var valid = new List<OrderLineRequest>();
        if (OrderProducts is not { Count: > 0 and <= MaxLines })
        {
            errors["orderProducts"] = [$"An order needs 1 to {MaxLines} lines."];
        }
        else
        {
            for (var i = 0; i < OrderProducts.Count; i++)
            {
                var line = OrderProducts[i];
                var productId = line?.ProductId?.Trim();
                if (string.IsNullOrEmpty(productId))
                {
                    errors[$"orderProducts[{i}].productId"] = ["A product id is required."];
                }

                if (line?.Quantity is not >= 1)
                {
                    errors[$"orderProducts[{i}].quantity"] = ["The quantity must be 1 or more."];
                }

                if (!string.IsNullOrEmpty(productId) && line?.Quantity is { } quantity and >= 1)
                {
                    valid.Add(new OrderLineRequest(productId, quantity));
                }
            }
        }

        lines = valid;
        return errors;
    }
}

/// <summary>
/// Changes to an order: its name, its status, or both. The lines of an order are fixed once it is placed; a
/// client that sends <c>orderProducts</c> here has them ignored.
/// </summary>
/// <param name="OrderName">1 to 200 characters, when given.</param>
/// <param name="OrderStatus"><c>processing</c>, <c>shipped</c>, <c>delivered</c> or <c>cancelled</c>, when given.
/// Cancelling returns the stock; a cancelled order stays cancelled.</param>
public sealed record OrderUpdateRequest(string? OrderName, string? OrderStatus)
{
    public Dictionary<string, string[]> Validate(out string? orderName, out string? status)
    {
        var errors = new Dictionary<string, string[]>();
        orderName = OrderName?.Trim();
        status = OrderStatus?.Trim().ToLowerInvariant();
        if (orderName is { Length: 0 or > OrderRequest.MaxNameLength })
        {
            errors["orderName"] = [$"The order name has 1 to {OrderRequest.MaxNameLength} characters."];
        }

        if (status is not null && !Storage.OrderStatus.All.Contains(status))
        {
            errors["orderStatus"] = [$"The status is one of {string.Join(", ", Storage.OrderStatus.All)}."];
        }

        if (OrderName is null && OrderStatus is null)
        {
            errors["orderName"] = ["Give an orderName, an orderStatus, or both."];
        }

        return errors;
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
        order.OrderProducts
            .Select(line => new OrderLineResponse(line.ProductId, line.ProductName, line.ProductSku, line.ProductDescription, line.Quantity, line.Price))
            .ToList(),
        order.Total);
}
