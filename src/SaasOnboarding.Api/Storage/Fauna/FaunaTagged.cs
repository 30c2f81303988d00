using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// Fauna's tagged wire format, both ways. Tagged, not simple: the simple format turns every number into a JSON
/// number and every date into a string, so types are lost on the way back.
/// </summary>
/// <remarks>
/// Encoding: int/short/byte to <c>@int</c>, long to <c>@long</c>, double/float to <c>@double</c>, DateOnly to
/// <c>@date</c>, DateTimeOffset/DateTime to <c>@time</c> (UTC, microseconds), byte[] to <c>@bytes</c>, <see cref="FaunaModule"/>
/// to <c>@mod</c>, dictionaries to objects (wrapped in <c>@object</c> when a key starts with <c>@</c>), other
/// sequences to arrays. Decimals travel as their exact invariant string, because <c>@double</c> would round them.
/// Decoding gives the same .NET types back, plus <see cref="FaunaDocument"/>, <see cref="FaunaRef"/> and
/// <see cref="FaunaPage"/>; objects come back as <c>Dictionary&lt;string, object?&gt;</c>, arrays as <c>List&lt;object?&gt;</c>.
/// </remarks>
public static class FaunaTagged
{
    /// <summary>
    /// Only what JSON itself requires is escaped: the body goes to Fauna, never into HTML, and cursors and
    /// non-ASCII text then travel as they are.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Encode(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, FaunaTagged.WriterOptions))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static object? Decode(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or short or byte or sbyte or ushort:
                WriteTagged(writer, "@int", Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case long number:
                WriteTagged(writer, "@long", number.ToString(CultureInfo.InvariantCulture));
                break;
            case uint number:
                WriteTagged(writer, "@long", number.ToString(CultureInfo.InvariantCulture));
                break;
            case double number:
                WriteTagged(writer, "@double", number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float number:
                WriteTagged(writer, "@double", ((double)number).ToString("R", CultureInfo.InvariantCulture));
                break;
            case decimal number:
                // No exact decimal type in Fauna: the string keeps every digit and the scale.
                writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                WriteTagged(writer, "@date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                WriteTagged(writer, "@time", FormatTime(time));
                break;
            case DateTime time:
                WriteTagged(writer, "@time", FormatTime(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time)));
                break;
            case byte[] bytes:
                WriteTagged(writer, "@bytes", Convert.ToBase64String(bytes));
                break;
            case FaunaModule module:
                WriteTagged(writer, "@mod", module.Name);
                break;
            case FaunaRef reference:
                WriteReference(writer, reference.Id, reference.Name, reference.Collection);
                break;
            case FaunaDocument document:
                // A document sent back is sent as its reference, as the drivers do.
                WriteReference(writer, document.Id, document.Name, document.Collection);
                break;
            case IEnumerable<KeyValuePair<string, object?>> fields:
                WriteObject(writer, fields);
                break;
            case IDictionary dictionary:
                WriteObject(writer, dictionary.Cast<DictionaryEntry>().Select(entry => new KeyValuePair<string, object?>(
                    entry.Key as string ?? throw new ArgumentException("Object keys must be strings.", nameof(value)), entry.Value)));
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"No tagged encoding for {value.GetType().Name}.", nameof(value));
        }
    }

    public static object? Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return null;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                // Tagged answers never hold bare numbers; be lenient rather than lose the value.
                return element.TryGetInt32(out var small) ? small
                    : element.TryGetInt64(out var large) ? large
                    : element.GetDouble();
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Read).ToList();
            case JsonValueKind.Object:
                return ReadObject(element);
            default:
                throw new FaunaProtocolException($"Unexpected JSON {element.ValueKind} in a tagged value.");
        }
    }

    /// <summary>
    /// Microsecond ISO-8601 in UTC, as Fauna writes times. Finer ticks are truncated, so that a stored time reads
    /// back equal to what every other store keeps (microseconds), whatever the node's own precision.
    /// </summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses Fauna's times, which may carry up to nine fractional digits (.NET keeps seven).</summary>
    public static DateTimeOffset ParseTime(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            var digits = text[(dot + 1)..end];
            if (digits.Length > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FaunaProtocolException("A @time value is not an ISO-8601 time.");
    }

    private static void WriteTagged(Utf8JsonWriter writer, string tag, string text)
    {
        writer.WriteStartObject();
        writer.WriteString(tag, text);
        writer.WriteEndObject();
    }

    private static void WriteReference(Utf8JsonWriter writer, string? id, string? name, FaunaModule collection)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("@ref");
        writer.WriteStartObject();
        if (id is not null)
        {
            writer.WriteString("id", id);
        }
        else
        {
            writer.WriteString("name", name);
        }

        writer.WritePropertyName("coll");
        WriteTagged(writer, "@mod", collection.Name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var list = fields.ToList();

        // A key that starts with "@" would be read as a tag: the whole object is escaped with @object.
        var escape = list.Exists(field => field.Key.StartsWith('@'));
        writer.WriteStartObject();
        if (escape)
        {
            writer.WritePropertyName("@object");
            writer.WriteStartObject();
        }

        foreach (var (key, fieldValue) in list)
        {
            writer.WritePropertyName(key);
            Write(writer, fieldValue);
        }

        if (escape)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static object? ReadObject(JsonElement element)
    {
        using var properties = element.EnumerateObject();
        var first = properties.FirstOrDefault();
        var single = element.EnumerateObject().Count() == 1;
        if (single && first.Name.StartsWith('@'))
        {
            var inner = first.Value;
            return first.Name switch
            {
                "@int" => int.Parse(TagText(inner, "@int"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                "@long" => long.Parse(TagText(inner, "@long"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                "@double" => double.Parse(TagText(inner, "@double"), NumberStyles.Float, CultureInfo.InvariantCulture),
                "@date" => DateOnly.ParseExact(TagText(inner, "@date"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                "@time" => ParseTime(TagText(inner, "@time")),
                "@bytes" => Convert.FromBase64String(TagText(inner, "@bytes")),
                "@mod" => new FaunaModule(TagText(inner, "@mod")),
                "@object" => PlainObject(inner),
                "@doc" => ReadDocument(inner),
                "@ref" => ReadReference(inner),
                "@set" => ReadSet(inner),
                _ => throw new FaunaProtocolException($"Unknown tag {first.Name}."),
            };
        }

        return PlainObject(element);
    }

    private static Dictionary<string, object?> PlainObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FaunaProtocolException("@object does not hold an object.");
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name] = Read(property.Value);
        }

        return fields;
    }

    private static FaunaDocument ReadDocument(JsonElement element)
    {
        var fields = PlainObject(element);
        var id = fields.Remove("id", out var idValue) ? idValue as string : null;
        var name = id is null && fields.Remove("name", out var nameValue) ? nameValue as string : null;
        var collection = fields.Remove("coll", out var collValue) && collValue is FaunaModule module
            ? module
            : throw new FaunaProtocolException("@doc without coll.");
        var ts = fields.Remove("ts", out var tsValue) ? tsValue as DateTimeOffset? : null;
        return new FaunaDocument(id, name, collection, ts, fields);
    }

    private static FaunaRef ReadReference(JsonElement element)
    {
        var fields = PlainObject(element);
        return new FaunaRef(
            fields.GetValueOrDefault("id") as string,
            fields.GetValueOrDefault("name") as string,
            fields.GetValueOrDefault("coll") as FaunaModule ?? throw new FaunaProtocolException("@ref without coll."),
            fields.GetValueOrDefault("exists") as bool?,
            fields.GetValueOrDefault("cause") as string);
    }

    private static FaunaPage ReadSet(JsonElement element)
    {
        // An unmaterialized set is sent as its cursor alone.
        if (element.ValueKind == JsonValueKind.String)
        {
            return new FaunaPage([], element.GetString());
        }

        var fields = PlainObject(element);
        return new FaunaPage(
            fields.GetValueOrDefault("data") as List<object?> ?? [],
            fields.GetValueOrDefault("after") as string);
    }

    private static string TagText(JsonElement element, string tag) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new FaunaProtocolException($"{tag} does not hold a string.");
}
