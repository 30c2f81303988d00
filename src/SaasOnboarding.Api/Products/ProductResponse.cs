namespace SaasOnboarding.Api.Products;

/// <summary>A product as the API shows it. <c>backordered</c> is computed: true while quantity is below backorderedLimit.</summary>
public sealed record ProductResponse(
    string Id,
    string Name,
    string? Description,
    string Sku,
    decimal Price,
    long Quantity,
    long BackorderedLimit,
    bool Backordered,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
