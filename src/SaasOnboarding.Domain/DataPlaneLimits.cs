namespace SaasOnboarding.Domain;

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

    /// <summary>Why <paramref name="price"/> is not a product price, or null when it is one.</summary>
    public static string? PriceProblem(decimal price) =>
        price < 0 || price > MaxPrice ? $"Must be between 0 and {MaxPrice}."
        // Refused rather than rounded: money the caller did not send is never stored.
        : decimal.Round(price, 2) != price ? "At most two decimal places."
        : null;

    /// <summary>Why <paramref name="value"/> is not a stock figure (quantity or backordered limit), or null.</summary>
    public static string? StockProblem(long value) =>
        value is < 0 or > MaxStock ? $"Must be between 0 and {MaxStock}." : null;

    /// <summary>Why <paramref name="quantity"/> is not an order line's quantity, or null.</summary>
    public static string? LineQuantityProblem(long quantity) =>
        quantity is < 1 or > MaxLineQuantity ? $"Must be between 1 and {MaxLineQuantity}." : null;
}

/// <summary>
/// SKUs are unique within a tenant ignoring the case of ASCII letters: <c>ABC-1</c> and <c>abc-1</c> are one SKU.
/// Every store compares this key (SQLite <c>lower(sku)</c>, PostgreSQL <c>lower(sku COLLATE "C")</c>, Fauna the
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

    /// <summary>Whether two SKUs are one SKU.</summary>
    public static bool Same(string left, string right) => string.Equals(Key(left), Key(right), StringComparison.Ordinal);
}

/// <summary>Money is exact to the cent: stores that keep integers keep cents, and a price is never rounded.</summary>
public static class Cents
{
    public static long Of(decimal price)
    {
        var cents = price * 100m;
        // Stryker disable once String : the message is for a developer; callers check the price first (PriceProblem).
        return price >= 0 && cents == decimal.Truncate(cents) && cents <= long.MaxValue
            ? decimal.ToInt64(cents)
            : throw new ArgumentOutOfRangeException(nameof(price), price, "A price is zero or more, with at most two decimal places.");
    }

    /// <summary>Multiplying by 0.01m keeps a scale of two, so 1050 cents reads back as 10.50, not 10.5.</summary>
    public static decimal ToPrice(long cents) => cents * 0.01m;
}
