namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// The <c>TenantId</c> log scope of a request (<see cref="TenantResolutionMiddleware"/>): one value, written as
/// <c>TenantId=…</c>. A list of one pair, as log formatters read scopes, without a dictionary per request.
/// </summary>
internal sealed class TenantLogScope(string? tenantId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("TenantId", tenantId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "TenantId=" + tenantId;
}
