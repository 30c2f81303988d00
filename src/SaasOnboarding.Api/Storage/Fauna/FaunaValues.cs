namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>A collection or module named in a query result (<c>@mod</c>).</summary>
public sealed record FaunaModule(string Name);

/// <summary>
/// A document that was read (<c>@doc</c>): metadata apart, user fields in <see cref="Data"/>. Schema documents
/// (collections, databases) carry a <see cref="Name"/> instead of an <see cref="Id"/>.
/// </summary>
public sealed record FaunaDocument(
    string? Id,
    string? Name,
    FaunaModule Collection,
    DateTimeOffset? Ts,
    IReadOnlyDictionary<string, object?> Data)
{
    public object? this[string field] => Data.TryGetValue(field, out var value) ? value : null;
}

/// <summary>A reference that was not read (<c>@ref</c>); a missing document has <see cref="Exists"/> false and a cause.</summary>
public sealed record FaunaRef(string? Id, string? Name, FaunaModule Collection, bool? Exists, string? Cause)
{
    public bool IsMissing => Exists == false;
}

/// <summary>One page of a Set (<c>@set</c>); <see cref="After"/> is null on the last page.</summary>
public sealed record FaunaPage(IReadOnlyList<object?> Data, string? After);
