namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Serializes, per tenant and inside this process, the changes to a tenant's users that must read and then write
/// consistently (the last enabled TenantAdmin rule, If-Match). A fixed set of stripes keeps memory bounded: two
/// tenants may share a stripe and then wait for each other, never for long. Instances of the app do not share
/// these locks.
/// </summary>
public sealed class TenantUserLocks
{
    private const int Stripes = 256;

    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Waits for the tenant's lock; disposing the answer releases it.</summary>
    public async Task<IDisposable> EnterAsync(string tenantId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(tenantId) % Stripes)];
        await stripe.WaitAsync(cancellationToken);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
