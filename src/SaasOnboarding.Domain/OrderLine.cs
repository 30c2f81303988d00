namespace SaasOnboarding.Domain;

public sealed record OrderLine(
    string ProductId,
    string ProductName,
    string ProductSku,
    string? ProductDescription,
    int Quantity,
    decimal Price);
