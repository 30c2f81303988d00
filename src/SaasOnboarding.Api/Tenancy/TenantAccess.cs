using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// What <see cref="CallerCheck"/> reads at every request, cached briefly: a tenant's state, and what the directory
/// holds now about a signed-in user. The services that change tenants and users evict the entries they affect on this
/// instance and move the tenant's access revision in the catalog (<see cref="ITenantCatalog.BumpAccessRevisionAsync"/>);
/// every instance trusts a cached entry only if it was read at the tenant's revision now, which the request reads
/// first or, on a store that reads it with the tenant's own data, the tenant database checks (docs/scaling.md).
/// Every cached lookup is counted as a hit or a miss (<see cref="Telemetry.CacheLookup"/>).
/// </summary>
public sealed class TenantAccess(ITenantCatalog catalog, IUserDirectory directory, IMemoryCache cache, IOptions<TenancyOptions> options)
{
    private readonly TimeSpan _duration = options.Value.StatusCacheDuration;

    /// <summary>
    /// The tenant's access revision now: what its cached entries must have been read at. 0 for a store that keeps
    /// none (the embedded store, one process by design).
    /// </summary>
    public Task<long> RevisionAsync(string tenantId, CancellationToken cancellationToken) => catalog.GetAccessRevisionAsync(tenantId, cancellationToken);

    /// <summary>The tenant's status and tier, or null when there is no such tenant.</summary>
    public Task<TenantState?> GetTenantAsync(string tenantId, long revision, CancellationToken cancellationToken) =>
        CachedAsync("tenant", TenantKey(tenantId), revision, async () => ToState(await catalog.GetTenantAsync(tenantId, cancellationToken)));

    /// <summary>
    /// What the directory holds now about the user a verified token names, or null when the user is gone. A tenant
    /// user's tokens are honoured while its tenant-user mapping is enabled (a deactivated tenant keeps its users'
    /// mappings, so that its tokens answer 403 rather than 401); a staff user's while the operations pool has it
    /// enabled. The role is always the directory's, never the token's: a role change applies at the next request.
    /// <c>revision</c> is the access revision of the caller's tenant (<see cref="RevisionAsync"/>), 0 for staff.
    /// </summary>
    public Task<CallerState?> GetCallerAsync(UserPool pool, string userName, long revision, CancellationToken cancellationToken) =>
        CachedAsync("caller", CallerKey(pool, userName), revision, () => ReadCallerAsync(pool, userName, cancellationToken));

    /// <summary>
    /// A tenant user's caller state and its tenant's state as this instance cached them, when both were read at one
    /// access revision (which is returned with them); null otherwise. Reads nothing: whether that revision is still
    /// the tenant's is for the caller to check (<see cref="Storage.IAccessRevisionCheck"/>).
    /// </summary>
    public (long Revision, CallerState? Caller, TenantState? Tenant)? Cached(string tenantId, string userName)
    {
        if (_duration <= TimeSpan.Zero
            || !cache.TryGetValue(CallerKey(UserPool.Tenant, userName), out Revised<CallerState>? caller)
            || !cache.TryGetValue(TenantKey(tenantId), out Revised<TenantState>? tenant)
            || caller!.Revision != tenant!.Revision)
        {
            return null;
        }

        Telemetry.CacheLookup("caller", hit: true);
        Telemetry.CacheLookup("tenant", hit: true);
        return (caller.Revision, caller.Value, tenant.Value);
    }

    /// <summary>After a change to the tenant (status, tier): every instance reads it again at its next request.</summary>
    public async Task ForgetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        ForgetTenant(tenantId);
        await catalog.BumpAccessRevisionAsync(tenantId, cancellationToken);
    }

    /// <summary>
    /// After a change to tenant users of <paramref name="tenantId"/> (mapping, enabled, role): every instance reads
    /// their caller state again at their next request.
    /// </summary>
    public async Task ForgetUsersAsync(string tenantId, IEnumerable<string> userNames, CancellationToken cancellationToken)
    {
        foreach (var userName in userNames)
        {
            ForgetUser(userName);
        }

        await catalog.BumpAccessRevisionAsync(tenantId, cancellationToken);
    }

    public Task ForgetUserAsync(string tenantId, string userName, CancellationToken cancellationToken) =>
        ForgetUsersAsync(tenantId, [userName], cancellationToken);

    /// <summary>Evicts a user's caller state on this instance only (staff are changed in their pool, outside the app).</summary>
    public void ForgetUser(UserPool pool, string userName) => cache.Remove(CallerKey(pool, userName));

    /// <summary>Evicts a tenant user's caller state on this instance only.</summary>
    public void ForgetUser(string userName) => ForgetUser(UserPool.Tenant, userName);

    /// <summary>Evicts a tenant's state on this instance only.</summary>
    public void ForgetTenant(string tenantId) => cache.Remove(TenantKey(tenantId));

    /// <summary>The entry under <paramref name="key"/> if it was read at <paramref name="revision"/>; otherwise read again and kept.</summary>
    private async Task<T?> CachedAsync<T>(string kind, string key, long revision, Func<Task<T?>> read)
        where T : class
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await read();
        }

        if (cache.TryGetValue(key, out Revised<T>? cached) && cached!.Revision == revision)
        {
            Telemetry.CacheLookup(kind, hit: true);
            return cached.Value;
        }

        Telemetry.CacheLookup(kind, hit: false);
        var value = await read();
        cache.Set(key, new Revised<T>(revision, value), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _duration, Size = 1 });
        return value;
    }

    private async Task<CallerState?> ReadCallerAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        if (pool == UserPool.Operations)
        {
            return await directory.GetUserAsync(pool, userName, cancellationToken) is { } staff
                ? new CallerState(staff.Enabled, staff.UserRole, null)
                : null;
        }

        // Read from the catalog, not through the mapping's own cache entry, so that this entry is never older
        // than its own duration.
        var mapping = await catalog.GetTenantUserAsync(userName, cancellationToken);
        if (mapping is null)
        {
            return null;
        }

        return await directory.GetUserAsync(pool, userName, cancellationToken) is { } user
            ? new CallerState(mapping.Enabled, user.UserRole, mapping.TenantId)
            : null;
    }

    private sealed record Revised<T>(long Revision, T? Value);

    private static TenantState? ToState(Tenant? tenant) => tenant is null ? null : new TenantState(tenant.Status, tenant.TenantTier);

    // Stryker disable once String : the prefixes only keep tenants, staff and tenant users apart; any distinct ones do.
    private static string TenantKey(string tenantId) => "tenant:" + tenantId;

    // Stryker disable once String,Equality : as above; swapped or other distinct prefixes keep the two pools apart as well.
    private static string CallerKey(UserPool pool, string userName) => (pool == UserPool.Operations ? "staff:" : "caller:") + userName;
}
