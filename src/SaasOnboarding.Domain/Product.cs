namespace SaasOnboarding.Domain;

/// <summary>
/// A product as stored. Quantities read as <see cref="long"/> so that a value stored beyond the bounds of
/// <see cref="DataPlaneLimits"/> (written before they existed) still reads.
/// </summary>
public sealed record Product(
    string Id,
    string Name,
    string? Description,
    string Sku,
    decimal Price,
    long Quantity,
    long BackorderedLimit,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool Backordered => Quantity < BackorderedLimit;

    /// <summary>
    /// What the entity tag is made from: the stored <see cref="UpdatedAt"/>, which every write of the product
    /// (stock taken or returned included) moves forward (<see cref="StoredTime.Next"/>).
    /// </summary>
    public string Version => StoredTime.Format(UpdatedAt);

    /// <summary>Whether a write that expects <paramref name="expectedVersion"/> (null: any) may go ahead.</summary>
    public bool IsVersion(string? expectedVersion) => expectedVersion is null || expectedVersion == Version;

    /// <summary>A new product from a draft, stamped <paramref name="now"/>.</summary>
    public static Product Create(string id, ProductDraft draft, DateTimeOffset now)
    {
        var stamp = StoredTime.Truncate(now);
        return new Product(id, draft.Name, draft.Description, draft.Sku, draft.Price, draft.Quantity, draft.BackorderedLimit, stamp, stamp);
    }

    /// <summary>This product with the draft's fields, stamped after its current stamp.</summary>
    public Product Revise(ProductDraft draft, DateTimeOffset now) => this with
    {
        Name = draft.Name,
        Description = draft.Description,
        Sku = draft.Sku,
        Price = draft.Price,
        Quantity = draft.Quantity,
        BackorderedLimit = draft.BackorderedLimit,
        UpdatedAt = StoredTime.Next(UpdatedAt, now),
    };

    /// <summary>This product with <paramref name="quantity"/> as its stock, stamped after its current stamp.</summary>
    public Product WithStock(long quantity, DateTimeOffset now) => this with { Quantity = quantity, UpdatedAt = StoredTime.Next(UpdatedAt, now) };
}
