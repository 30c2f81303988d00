namespace SaasOnboarding.Domain;

/// <summary>The fields a caller sets on a product.</summary>
public sealed record ProductDraft(string Name, string? Description, string Sku, decimal Price, int Quantity, int BackorderedLimit)
{
    public const int MaxNameLength = 200;
    public const int MaxSkuLength = 100;
    public const int MaxDescriptionLength = 2000;
}
