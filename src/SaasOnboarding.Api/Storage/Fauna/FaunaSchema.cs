namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>Collection definitions as values, and the query that creates one when it is missing.</summary>
internal static class FaunaSchema
{
    public static Dictionary<string, object?> Collection(string name, Dictionary<string, object?> indexes, IEnumerable<string> unique) => new()
    {
        ["name"] = name,
        ["indexes"] = indexes,
        ["constraints"] = unique
            .Select(field => new Dictionary<string, object?> { ["unique"] = new[] { Field(field) } })
            .ToList(),
    };

    public static Dictionary<string, object?> Index(IEnumerable<string>? terms = null, IEnumerable<string>? values = null)
    {
        var index = new Dictionary<string, object?>();
        if (terms is not null)
        {
            index["terms"] = terms.Select(Field).ToList();
        }

        if (values is not null)
        {
            index["values"] = values.Select(Field).ToList();
        }

        return index;
    }

    /// <summary>Idempotent: answers true when it created the collection, false when it was there.</summary>
    public static Fql CreateIfMissing(Dictionary<string, object?> definition) => Fql.Of($$"""
        if (Collection.byName({{definition["name"]}}) == null) {
          Collection.create({{definition}})
          true
        } else {
          false
        }
        """);

    /// <summary>Creates the collection; for a freshly created database, where it cannot exist yet.</summary>
    public static Fql Create(Dictionary<string, object?> definition) => Fql.Of($"""
        Collection.create({definition})
        null
        """);

    private static Dictionary<string, object?> Field(string name) => new() { ["field"] = "." + name };
}
