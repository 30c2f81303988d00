namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// Page tokens wrap Fauna's <c>after</c> cursor with the list it belongs to, so that a products cursor is never
/// replayed as an orders or tenants listing.
/// </summary>
internal static class FaunaPageTokens
{
    public static string? Wrap(string list, string? cursor) => cursor is null ? null : PageTokens.Encode(list, cursor);

    public static string Unwrap(string list, string token)
    {
        var keys = PageTokens.Decode(token, 2);
        return string.Equals(keys[0], list, StringComparison.Ordinal) && keys[1].Length > 0 ? keys[1] : throw new InvalidPageTokenException();
    }
}
