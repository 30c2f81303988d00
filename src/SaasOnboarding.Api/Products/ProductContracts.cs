using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Products;

/// <summary>
/// The workshop's product fields. Every field is nullable here so that a missing one is a field error, not a
/// deserialization failure.
/// </summary>
/// <param name="Name">Shown to people; 1 to 200 characters.</param>
/// <param name="Description">Optional; at most 2000 characters.</param>
/// <param name="Sku">Unique within the tenant (compared exactly, after trimming); 1 to 100 characters.</param>
/// <param name="Price">Zero or more, at most two decimal places.</param>
/// <param name="Quantity">Units in stock; zero or more.</param>
/// <param name="BackorderedLimit">The product is backordered while its quantity is below this; zero or more, default 0.</param>
public sealed record ProductRequest(string? Name, string? Description, string? Sku, decimal? Price, int? Quantity, int? BackorderedLimit)
{
    public const int MaxNameLength = 200;
    public const int MaxSkuLength = 100;
    public const int MaxDescriptionLength = 2000;

    /// <summary>A bound on prices keeps every total (price × quantity, summed) exact in a decimal.</summary>
    public const decimal MaxPrice = 1_000_000_000m;

    /// <summary>Field errors keyed by the JSON field name; none means <paramref name="draft"/> is set.</summary>
    public Dictionary<string, string[]> Validate(out ProductDraft draft)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Name?.Trim();
        var sku = Sku?.Trim();
        var description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required."];
        }

        if (string.IsNullOrEmpty(sku) || sku.Length > MaxSkuLength)
        {
            errors["sku"] = [$"A SKU of 1 to {MaxSkuLength} characters is required."];
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"The description has at most {MaxDescriptionLength} characters."];
        }

        if (Price is not { } price)
        {
            errors["price"] = ["A price is required."];
        }
        else if (price < 0 || price > MaxPrice)
        {
            errors["price"] = [$"The price must be between 0 and {MaxPrice}."];
        }
        else if (decimal.Round(price, 2) != price)
        {
            errors["price"] = ["The price has at most two decimal places."];
        }

        if (Quantity is not { } quantity)
        {
            errors["quantity"] = ["A quantity is required."];
        }
        else if (quantity < 0)
        {
            errors["quantity"] = ["The quantity must be zero or more."];
        }

        if (BackorderedLimit is < 0)
        {
            errors["backorderedLimit"] = ["The backordered limit must be zero or more."];
        }

        draft = errors.Count == 0
            ? new ProductDraft(name!, description, sku!, Price!.Value, Quantity!.Value, BackorderedLimit ?? 0)
            : null!;
        return errors;
    }
}

/// <summary>A product as the API shows it. <c>backordered</c> is computed: <c>quantity &lt; backorderedLimit</c>.</summary>
public sealed record ProductResponse(
    string Id,
    string Name,
    string? Description,
    string Sku,
    decimal Price,
    int Quantity,
    int BackorderedLimit,
    bool Backordered,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public static class ProductMappings
{
    public static ProductResponse ToResponse(this Product product) => new(
        product.Id,
        product.Name,
        product.Description,
        product.Sku,
        product.Price,
        product.Quantity,
        product.BackorderedLimit,
        product.Backordered,
        product.CreatedAt,
        product.UpdatedAt);
}
