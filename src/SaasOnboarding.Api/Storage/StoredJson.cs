using System.Text.Json.Serialization;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// JSON metadata, generated at build time, for the lists of strings the stores and page tokens write as JSON
/// (journal steps, id lists, page-token keys): a trimmed (Native AOT) build has no reflection-based serializer.
/// </summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StoredJson : JsonSerializerContext;
