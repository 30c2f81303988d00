using System.Globalization;

namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>Turns decoded answers into the adapter's records; a shape the adapter did not ask for is a protocol error.</summary>
internal static class FaunaRead
{
    /// <summary>The document, or null for null and for a reference whose document does not exist.</summary>
    public static FaunaDocument? Document(object? value) => value switch
    {
        null => null,
        FaunaDocument document => document,
        FaunaRef { IsMissing: true } => null,
        _ => throw new FaunaProtocolException($"Expected a document, got {value.GetType().Name}."),
    };

    public static string String(FaunaDocument document, string field) =>
        document[field] as string ?? throw new FaunaProtocolException($"Field {field} is missing or not a string.");

    public static string? OptionalString(FaunaDocument document, string field) => document[field] as string;

    public static int Int(object? value, string field) => value switch
    {
        int number => number,
        long number when number is >= int.MinValue and <= int.MaxValue => (int)number,
        _ => throw new FaunaProtocolException($"Field {field} is missing or not an @int."),
    };

    public static long Long(object? value, string field) => value switch
    {
        long number => number,
        int number => number,
        _ => throw new FaunaProtocolException($"Field {field} is missing or not a @long."),
    };

    public static DateTimeOffset Time(object? value, string field) =>
        value as DateTimeOffset? ?? throw new FaunaProtocolException($"Field {field} is missing or not a @time.");

    public static bool Bool(object? value, string field) =>
        value as bool? ?? throw new FaunaProtocolException($"Field {field} is missing or not a boolean.");

    /// <summary>A first page arrives as <c>@set</c>; a page from <c>Set.paginate</c> as a plain <c>{data, after}</c> object.</summary>
    public static FaunaPage Page(object? value) => value switch
    {
        FaunaPage page => page,
        IReadOnlyDictionary<string, object?> fields => new FaunaPage(
            fields.GetValueOrDefault("data") as List<object?> ?? throw new FaunaProtocolException("A page without data."),
            fields.GetValueOrDefault("after") as string),
        _ => throw new FaunaProtocolException("Expected a page of a set."),
    };

    public static List<object?> Array(object? value) =>
        value as List<object?> ?? throw new FaunaProtocolException("Expected an array.");

    /// <summary>Fauna document ids are 64-bit integers written as strings; anything else names no document.</summary>
    public static bool IsDocumentId(string? id) =>
        id is { Length: > 0 and <= 20 } && id.All(char.IsAsciiDigit) && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
