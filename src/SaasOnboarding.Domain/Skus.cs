namespace SaasOnboarding.Domain;

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
