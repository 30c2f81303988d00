namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>The query that creates a collection when it is missing.</summary>
internal static class FaunaSchema
{
    /// <summary>Idempotent: answers true when it created the collection, false when it was there.</summary>
    public static Fql CreateIfMissing(Dictionary<string, object?> definition) => Fql.Of($$"""
        if (Collection.byName({{definition["name"]}}) == null) {
          Collection.create({{definition}})
          true
        } else {
          false
        }
        """);
}
