using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Orders;

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
