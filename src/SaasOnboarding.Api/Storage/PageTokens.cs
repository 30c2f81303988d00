using System.Text.Json;

namespace SaasOnboarding.Api.Storage;

/// <summary>Opaque page tokens: the sort key of the last item of a page, base64url-encoded.</summary>
public static class PageTokens
{
    public static string Encode(params string[] keys) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(keys, StoredJson.Default.StringArray)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string[] Decode(string token, int expectedKeys)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var keys = JsonSerializer.Deserialize(Convert.FromBase64String(base64), StoredJson.Default.StringArray);
            return keys is not null && keys.Length == expectedKeys && keys.All(k => k is not null)
                ? keys
                : throw new InvalidPageTokenException();
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw new InvalidPageTokenException();
        }
    }
}
