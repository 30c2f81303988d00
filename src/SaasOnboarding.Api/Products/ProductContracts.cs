using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Products;

/// <summary>
/// The workshop's product fields. Every field is nullable here so that a missing one is a field error, not a
/// deserialization failure.
/// </summary>
/// <param name="Name">Shown to people; 1 to 200 characters.</param>
/// <param name="Sku">Unique within the tenant (compared exactly, after trimming); 1 to 100 characters.</param>
/// <param name="Price">Zero or more, at most two decimal places.</param>
/// <param name="Quantity">Units in stock; zero or more.</param>
/// <param name="Description">Optional; at most 2000 characters.</param>
/// <param name="BackorderedLimit">The product is backordered while its quantity is below this; zero or more, default 0.</param>
public sealed record ProductRequest(string? Name, string? Sku, decimal? Price, int? Quantity, string? Description = null, int? BackorderedLimit = null)
{
    public const int MaxNameLength = 200;
    public const int MaxSkuLength = 100;
    public const int MaxDescriptionLength = 2000;

    /// <summary>A bound on prices keeps every total (price × quantity, summed) exact in a decimal.</summary>
    public const decimal MaxPrice = 1_000_000_000m;

    /// <summary>The draft to store, or null with the field errors in <paramref name="errors"/>.</summary>
    public ProductDraft? Check(FieldErrors errors)
    {
        var name = errors.Text("name", Name, required: true, MaxNameLength);
        var sku = errors.Text("sku", Sku, required: true, MaxSkuLength);
        var description = errors.Text("description", Description, required: false, MaxDescriptionLength);
        if (Price is not { } price)
        {
            errors.Add("price", "This field is required.");
        }
        else if (price < 0 || price > MaxPrice)
        {
            errors.Add("price", $"Must be between 0 and {MaxPrice}.");
        }
        else if (decimal.Round(price, 2) != price)
        {
            // Refused rather than rounded: money the caller did not send is never stored.
            errors.Add("price", "At most two decimal places.");
        }

        if (Quantity is not { } quantity)
        {
            errors.Add("quantity", "This field is required.");
        }
        else if (quantity < 0)
        {
            errors.Add("quantity", "Must be zero or more.");
        }

        if (BackorderedLimit is < 0)
        {
            errors.Add("backorderedLimit", "Must be zero or more.");
        }

        return errors.IsValid ? new ProductDraft(name!, description, sku!, Price!.Value, Quantity!.Value, BackorderedLimit ?? 0) : null;
    }
}

/// <summary>A product as the API shows it. <c>backordered</c> is computed: true while quantity is below backorderedLimit.</summary>
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
