namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>Which database a query runs in: the key's own (parent), or a child reached by scoping the key.</summary>
/// <param name="Database">Child database path, for example <c>tenant_&lt;id&gt;</c>.</param>
/// <param name="Role"><c>admin</c>, <c>server</c>, <c>server-readonly</c> or <c>@role/Name</c>.</param>
public sealed record FaunaScope(string Database, string Role);
