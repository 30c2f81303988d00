using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// An FQL query as an injection-safe template: the literal text of an interpolated string becomes FQL text, and
/// every hole becomes a <c>value</c> fragment (or, for another <see cref="Fql"/>, a nested <c>fql</c> fragment).
/// </summary>
/// <remarks>
/// The only way to build one is <see cref="Of"/> with an interpolated string, so data can never be concatenated
/// into FQL text: <c>Fql.Of($"tenant.byTenantId({tenantId}).first()")</c> sends the id as a tagged value.
/// </remarks>
public sealed class Fql
{
    private readonly List<object?> _parts;

    internal Fql(List<object?> parts) => _parts = parts;

    public static Fql Of(FqlInterpolatedStringHandler template) => template.Build();

    /// <summary>
    /// FQL text that is part of the app, never data: a migration file embedded in the assembly
    /// (<see cref="FaunaMigrator"/>).
    /// </summary>
    internal static Fql FromMigrationFile(string text) => new([new FqlText(text)]);

    /// <summary>Writes <c>{"fql": ["text", {"value": ...}, {"fql": [...]}, ...]}</c>.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("fql");
        writer.WriteStartArray();
        foreach (var part in _parts)
        {
            switch (part)
            {
                case FqlText text:
                    writer.WriteStringValue(text.Text);
                    break;
                case Fql nested:
                    nested.WriteTo(writer);
                    break;
                default:
                    writer.WriteStartObject();
                    writer.WritePropertyName("value");
                    FaunaTagged.Write(writer, part);
                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The literal text only, with each value shown as <c>?</c>: safe to log, never holds data.</summary>
    public override string ToString() => string.Concat(_parts.Select(part => part switch
    {
        FqlText text => text.Text,
        Fql nested => nested.ToString(),
        _ => "?",
    }));

    /// <summary>Marks literal template text, so that a string value is never mistaken for FQL text.</summary>
    internal sealed record FqlText(string Text);
}

/// <summary>Builds an <see cref="Fql"/> from an interpolated string; see <see cref="Fql"/>.</summary>
[InterpolatedStringHandler]
public ref struct FqlInterpolatedStringHandler
{
    private readonly List<object?> _parts;

    public FqlInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _ = literalLength;
        _parts = new List<object?>((formattedCount * 2) + 1);
    }

    public readonly void AppendLiteral(string text)
    {
        if (_parts.Count > 0 && _parts[^1] is Fql.FqlText previous)
        {
            _parts[^1] = new Fql.FqlText(previous.Text + text);
        }
        else
        {
            _parts.Add(new Fql.FqlText(text));
        }
    }

    public readonly void AppendFormatted<T>(T value) => _parts.Add(value);

    internal readonly Fql Build() => new(_parts);
}
