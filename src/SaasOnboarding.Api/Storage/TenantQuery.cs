using System.Security.Cryptography;
using System.Text;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// What a tenants listing shows and in which order: <see cref="Search"/> matches a part of the name (ignoring case
/// and spacing, as names are compared), a part of the admin email (ignoring case) or a part of the tenant id;
/// <see cref="Status"/> lists one status, or without it every tenant <see cref="TenantStates.IsListed"/>;
/// <see cref="Tier"/> one tier, as stored.
/// </summary>
public sealed record TenantQuery(string? Search = null, TenantStatus? Status = null, string? Tier = null, TenantSort Sort = TenantSort.Name, bool Descending = false)
{
    /// <summary>The search in the form name keys are kept in, or null without a search.</summary>
    public string? NamePart => string.IsNullOrWhiteSpace(Search) ? null : TenantNames.Normalize(Search);

    /// <summary>The search as emails and ids are matched: trimmed, lower case; null without a search.</summary>
    public string? TextPart => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();

    /// <summary>
    /// Names the listing a page token belongs to: a token issued for another search, filter or order is refused
    /// (<see cref="InvalidPageTokenException"/>) rather than read as a position in this one.
    /// </summary>
    public string Fingerprint => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\u001f', Sort, Descending, Status?.ToString() ?? "-", Tier ?? "-", NamePart ?? "-", TextPart ?? "-"))))[..16];
}
