using System.Security.Cryptography;
using System.Text;

namespace SaasOnboarding.Api.Storage;

/// <summary>The text search of the products and orders listings, and the names of their listings.</summary>
public static class ListSearch
{
    /// <summary>
    /// A search as stores match it: trimmed and in lower case, matched as a part of a column's text in lower case
    /// (every letter, not only A–Z, in every store: docs/data-plane.md); null without a search.
    /// </summary>
    public static string? Text(string? search) => string.IsNullOrWhiteSpace(search) ? null : search.Trim().ToLowerInvariant();

    /// <summary>
    /// Names a listing: a page token carries it, and a token issued for another list, search or filter is refused
    /// (<see cref="InvalidPageTokenException"/>) rather than read as a position in this one.
    /// </summary>
    public static string Fingerprint(params string?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(part => part ?? "-")))))[..16];
}
