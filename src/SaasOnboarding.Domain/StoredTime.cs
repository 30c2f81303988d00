using System.Globalization;

namespace SaasOnboarding.Domain;

/// <summary>Timestamps are stored as round-trip UTC strings, which sort as they compare.</summary>
public static class StoredTime
{
    private const string Layout = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString(Layout, CultureInfo.InvariantCulture);

    /// <summary>The instant as every store keeps it: UTC, whole microseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    /// <summary>
    /// The stamp of a write to something stamped <paramref name="previous"/>: <paramref name="now"/>, or one
    /// microsecond after <paramref name="previous"/> when the clock has not moved past it, so that every write
    /// changes the version made from the stamp.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset previous, DateTimeOffset now)
    {
        var stamp = Truncate(now);
        var floor = Truncate(previous).AddTicks(TimeSpan.TicksPerMicrosecond);
        // Stryker disable once Equality : when the two are equal either branch answers the same instant.
        return stamp >= floor ? stamp : floor;
    }

    /// <summary>
    /// The exact layout <see cref="Format"/> writes is read by hand first: a listing reads two a row, and the
    /// framework's format-driven parser is a visible share of a read's CPU. Any other ISO 8601 form
    /// still reads.
    /// </summary>
    public static DateTimeOffset Parse(string value) =>
        TryParseLayout(value, out var exact) ? exact : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, Utc);

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> with every field in range, or false.</summary>
    internal static bool TryParseLayout(string text, out DateTimeOffset value)
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
