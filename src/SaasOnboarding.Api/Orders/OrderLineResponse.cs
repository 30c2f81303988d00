namespace SaasOnboarding.Api.Orders;

public sealed record OrderLineResponse(
    string ProductId,
    string ProductName,
    string ProductSku,
    string? ProductDescription,
    int Quantity,
    decimal Price);
