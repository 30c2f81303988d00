namespace SaasOnboarding.Api.Storage;

/// <summary>
/// What an orders listing shows: every order, or with <see cref="Status"/> those in that status
/// (<see cref="OrderStatus.All"/>), and with <see cref="Search"/> those whose name, id, or the product name or SKU
/// of one of their lines holds it, ignoring case (<see cref="ListSearch"/>). Orders list newest first, by creation
/// time, the id breaking ties.
/// </summary>
public sealed record OrderQuery(string? Search = null, string? Status = null)
{
    public static readonly OrderQuery All = new();

    /// <summary>The search as it is matched (<see cref="ListSearch.Text"/>); null without a search.</summary>
    public string? TextPart => ListSearch.Text(Search);

    /// <summary>Names the listing a page token belongs to (<see cref="ListSearch.Fingerprint"/>).</summary>
    public string Fingerprint => ListSearch.Fingerprint("orders", Status ?? "-", TextPart);
}
