using System.Globalization;
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

/// <summary>Timestamps are stored as round-trip UTC strings, which sort as they compare.</summary>
public static class StoredTime
{
    private const string Layout = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString(Layout, CultureInfo.InvariantCulture);

    /// <summary>
    /// The exact layout <see cref="Format"/> writes is read by hand first: a listing reads two a row, and the
    /// framework's format-driven parser is a visible share of a read's CPU. Any other ISO 8601 form
    /// still reads.
    /// </summary>
    public static DateTimeOffset Parse(string value) =>
        TryParseLayout(value, out var exact) ? exact : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, Utc);

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> with every field in range, or false.</summary>
    private static bool TryParseLayout(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
            text[19] != '.' || text[26] != 'Z' ||
            !Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day) ||
            !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second) ||
            !Digits(text, 20, 6, out var microseconds) ||
            year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, microseconds / 1000, microseconds % 1000, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(string text, int start, int length, out int value)
    {
        value = 0;
        foreach (var digit in text.AsSpan(start, length))
        {
            if (!char.IsAsciiDigit(digit))
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }
}
