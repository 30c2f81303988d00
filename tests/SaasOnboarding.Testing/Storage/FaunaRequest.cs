using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Testing;

/// <summary>A request as the fake saw it, with the template flattened for assertions.</summary>
internal sealed class FaunaRequest
{
    public FaunaRequest(HttpRequestMessage request, string body)
    {
        Method = request.Method.Method;
        Path = request.RequestUri!.AbsolutePath;
        Uri = request.RequestUri;
        Headers = request.Headers.ToDictionary(header => header.Key, header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
        ContentType = request.Content?.Headers.ContentType?.ToString();
        Body = body;
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        BodyKeys = root.EnumerateObject().Select(property => property.Name).ToList();
        var text = new StringBuilder();
        var values = new List<string>();
        Flatten(root.GetProperty("query"), text, values);
        QueryText = text.ToString();
        ValuesJson = values;
    }

    public string Method { get; }

    public string Path { get; }

    public Uri Uri { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public string? ContentType { get; }

    public string Body { get; }

    public IReadOnlyList<string> BodyKeys { get; }

    /// <summary>The FQL text fragments joined, each value fragment shown as <c>$n</c> (its index in <see cref="ValuesJson"/>).</summary>
    public string QueryText { get; }

    /// <summary>The raw tagged JSON of every value fragment, in order.</summary>
    public IReadOnlyList<string> ValuesJson { get; }

    public object? Value(int index) => FaunaTagged.Decode(ValuesJson[index]);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The headers every query carries, checked exactly.</summary>
    public void AssertProtocolHeaders(string authorization, string operation, long? lastTxnTs, int timeoutMs = 5000)
    {
        Assert.Equal("POST", Method);
        Assert.Equal("/query/1", Path);
        Assert.Equal("application/json", ContentType);
        Assert.Equal("Bearer " + authorization, Header("Authorization"));
        Assert.Equal("tagged", Header("X-Format"));
        Assert.Equal(timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture), Header("X-Query-Timeout-Ms"));
        Assert.Equal("operation=" + operation, Header("X-Query-Tags"));
        Assert.Equal(lastTxnTs?.ToString(System.Globalization.CultureInfo.InvariantCulture), Header("X-Last-Txn-Ts"));
        Assert.Equal(["query"], BodyKeys);
    }

    private static void Flatten(JsonElement fragment, StringBuilder text, List<string> values)
    {
        Assert.Equal(JsonValueKind.Object, fragment.ValueKind);
        var properties = fragment.EnumerateObject().ToList();
        Assert.Single(properties);
        var property = properties[0];
        switch (property.Name)
        {
            case "fql":
                foreach (var part in property.Value.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        text.Append(part.GetString());
                    }
                    else
                    {
                        Flatten(part, text, values);
                    }
                }

                break;
            case "value":
                text.Append('$').Append(values.Count);
                values.Add(property.Value.GetRawText());
                break;
            default:
                Assert.Fail($"Unexpected template fragment {property.Name}.");
                break;
        }
    }
}
