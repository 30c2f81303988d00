namespace SaasOnboarding.Api.Storage;

/// <summary>
/// What a products listing shows: every product, or with <see cref="Search"/> those whose name or SKU holds it,
/// ignoring case (<see cref="ListSearch"/>). Products list oldest first, the id breaking ties.
/// </summary>
public sealed record ProductQuery(string? Search = null)
{
    public static readonly ProductQuery All = new();

    /// <summary>The search as it is matched (<see cref="ListSearch.Text"/>); null without a search.</summary>
    public string? TextPart => ListSearch.Text(Search);

    /// <summary>Names the listing a page token belongs to (<see cref="ListSearch.Fingerprint"/>).</summary>
    public string Fingerprint => ListSearch.Fingerprint("products", TextPart);
}
