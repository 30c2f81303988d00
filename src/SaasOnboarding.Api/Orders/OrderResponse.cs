namespace SaasOnboarding.Api.Orders;

/// <summary>An order as the API shows it; <c>total</c> is the sum of price × quantity over its lines.</summary>
public sealed record OrderResponse(
    string Id,
    string OrderName,
    DateTimeOffset CreationDate,
    string Status,
    IReadOnlyList<OrderLineResponse> OrderProducts,
    decimal Total);
