using System.Text;
using System.Text.Json;

namespace SaasOnboarding.Api.Storage;

/// <summary>Tenant ids are 32 lower-case hex digits, so that they are safe in file, schema, role and database names.</summary>
public static class TenantIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? tenantId) =>
        tenantId is { Length: 32 } && tenantId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The child database's name: <c>tenant_&lt;tenantId&gt;</c>.</summary>
    public static string DatabaseName(string tenantId) =>
        IsValid(tenantId) ? "tenant_" + tenantId : throw new ArgumentException("Not a tenant id.", nameof(tenantId));
}

/// <summary>A page token that a client sent back is not one this service issued.</summary>
public sealed class InvalidPageTokenException() : Exception("The nextToken is not valid.");

/// <summary>Opaque page tokens: the sort key of the last item of a page, base64url-encoded.</summary>
public static class PageTokens
{
    public static string Encode(params string[] keys) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(keys)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string[] Decode(string token, int expectedKeys)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var keys = JsonSerializer.Deserialize<string[]>(Convert.FromBase64String(base64));
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
