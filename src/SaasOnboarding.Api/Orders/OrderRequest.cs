using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Orders;

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
