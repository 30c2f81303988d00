namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The bounds of the tenant data plane's numbers, in one place. Requests beyond them are refused (400 naming the
/// field), and a write that would push a stored value past one (returning stock) is refused (409) and changes
/// nothing. With these bounds every total (price × quantity, summed over at most 100 lines) stays exact in a
/// <see cref="decimal"/>, and every stock sum fits a 32-bit integer column.
/// </summary>
public static class DataPlaneLimits
{
    /// <summary>A product's <c>quantity</c> (stock) and <c>backorderedLimit</c>: 0 to 1,000,000,000.</summary>
    public const int MaxStock = 1_000_000_000;

    /// <summary>An order line's <c>quantity</c>: 1 to 1,000,000,000.</summary>
    public const int MaxLineQuantity = 1_000_000_000;

    /// <summary>A product's <c>price</c>: 0 to 1,000,000,000, at most two decimal places.</summary>
    public const decimal MaxPrice = 1_000_000_000m;
}

/// <summary>
/// SKUs are unique within a tenant ignoring the case of ASCII letters: <c>ABC-1</c> and <c>abc-1</c> are one SKU.
/// Every store compares the same key (SQLite <c>lower(sku)</c>, PostgreSQL <c>lower(sku COLLATE "C")</c>, Fauna the
/// stored <c>skuKey</c>); all three fold A–Z only, so the rule is the same everywhere.
/// </summary>
public static class Skus
{
    /// <summary>The SKU with A–Z folded to a–z, every other character as it is.</summary>
    public static string Key(string sku) => string.Create(sku.Length, sku, static (key, text) =>
    {
        for (var i = 0; i < text.Length; i++)
        {
            key[i] = char.IsAsciiLetterUpper(text[i]) ? (char)(text[i] | 0x20) : text[i];
        }
    });
}
