using System.Text.Json.Serialization;
using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Products;

/// <summary>
/// The workshop's product fields. Every field is nullable here so that a missing one is a field error, not a
/// deserialization failure.
/// </summary>
/// <param name="Name">Shown to people; 1 to 200 characters.</param>
/// <param name="Sku">Unique within the tenant ignoring the case of A–Z (after trimming); 1 to 100 characters.</param>
/// <param name="Price">0 to 1,000,000,000, at most two decimal places as written (never rounded).</param>
/// <param name="Quantity">Units in stock; 0 to 1,000,000,000.</param>
/// <param name="Description">Optional; at most 2000 characters.</param>
/// <param name="BackorderedLimit">The product is backordered while its quantity is below this; 0 to 1,000,000,000, default 0.</param>
public sealed record ProductRequest(
    string? Name,
    string? Sku,
    [property: JsonConverter(typeof(ExactPriceConverter))] decimal? Price,
    int? Quantity,
    string? Description = null,
    int? BackorderedLimit = null)
{
    public const int MaxNameLength = ProductDraft.MaxNameLength;
    public const int MaxSkuLength = ProductDraft.MaxSkuLength;
    public const int MaxDescriptionLength = ProductDraft.MaxDescriptionLength;

    /// <summary>A bound on prices keeps every total (price × quantity, summed) exact in a decimal.</summary>
    public const decimal MaxPrice = DataPlaneLimits.MaxPrice;

    /// <summary>The draft to store, or null with the field errors in <paramref name="errors"/>.</summary>
    public ProductDraft? Check(FieldErrors errors)
    {
        var name = errors.Text("name", Name, required: true, MaxNameLength);
        var sku = errors.Text("sku", Sku, required: true, MaxSkuLength);
        var description = errors.Text("description", Description, required: false, MaxDescriptionLength);
        if (Price is null)
        {
            errors.Add("price", "This field is required.");
        }
        else if (DataPlaneLimits.PriceProblem(Price.Value) is { } problem)
        {
            errors.Add("price", problem);
        }

        if (Quantity is null)
        {
            errors.Add("quantity", "This field is required.");
        }
        else if (DataPlaneLimits.StockProblem(Quantity.Value) is { } problem)
        {
            errors.Add("quantity", problem);
        }

        if (BackorderedLimit is { } limit && DataPlaneLimits.StockProblem(limit) is { } limitProblem)
        {
            errors.Add("backorderedLimit", limitProblem);
        }

        return errors.IsValid ? new ProductDraft(name!, description, sku!, Price!.Value, Quantity!.Value, BackorderedLimit ?? 0) : null;
    }
}
