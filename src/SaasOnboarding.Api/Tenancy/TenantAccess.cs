using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// What <see cref="CallerCheck"/> reads at every request, cached briefly: a tenant's state, and what the directory
/// holds now about a signed-in user. The services that change tenants and users evict the entries they affect.
/// Every cached lookup is counted as a hit or a miss (<see cref="Telemetry.CacheLookup"/>).
/// </summary>
public sealed class TenantAccess(ITenantCatalog catalog, IUserDirectory directory, IMemoryCache cache, IOptions<TenancyOptions> options)
{
    private readonly TimeSpan _duration = options.Value.StatusCacheDuration;

    /// <summary>The tenant's status and tier, or null when there is no such tenant.</summary>
    public async Task<TenantState?> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return ToState(await catalog.GetTenantAsync(tenantId, cancellationToken));
        }

        var missed = false;
        var state = await cache.GetOrCreateAsync(
            TenantKey(tenantId),
            async entry =>
            {
                missed = true;
                entry.AbsoluteExpirationRelativeToNow = _duration;
                entry.Size = 1;
                return ToState(await catalog.GetTenantAsync(tenantId, cancellationToken));
            });
        Telemetry.CacheLookup("tenant", hit: !missed);
        return state;
    }

    /// <summary>
    /// What the directory holds now about the user a verified token names, or null when the user is gone. A tenant
    /// user's tokens are honoured while its tenant-user mapping is enabled (a deactivated tenant keeps its users'
    /// mappings, so that its tokens answer 403 rather than 401); a staff user's while the operations pool has it
    /// enabled. The role is always the directory's, never the token's: a role change applies at the next request.
    /// </summary>
    public async Task<CallerState?> GetCallerAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await ReadCallerAsync(pool, userName, cancellationToken);
        }

        var missed = false;
        var caller = await cache.GetOrCreateAsync(
            CallerKey(pool, userName),
            async entry =>
            {
                missed = true;
                entry.AbsoluteExpirationRelativeToNow = _duration;
                entry.Size = 1;
                return await ReadCallerAsync(pool, userName, cancellationToken);
            });
        Telemetry.CacheLookup("caller", hit: !missed);
        return caller;
    }

    public void ForgetTenant(string tenantId) => cache.Remove(TenantKey(tenantId));

    /// <summary>Evicts a tenant user's caller state (mapping and role): its next request reads it again.</summary>
    public void ForgetUser(string userName) => ForgetUser(UserPool.Tenant, userName);

    /// <summary>Evicts a user's caller state in either pool.</summary>
    public void ForgetUser(UserPool pool, string userName) => cache.Remove(CallerKey(pool, userName));

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

    private static TenantState? ToState(Tenant? tenant) => tenant is null ? null : new TenantState(tenant.Status, tenant.TenantTier);

    // Stryker disable once String : the prefixes only keep tenants, staff and tenant users apart; any distinct ones do.
    private static string TenantKey(string tenantId) => "tenant:" + tenantId;

    // Stryker disable once String,Equality : as above; swapped or other distinct prefixes keep the two pools apart as well.
    private static string CallerKey(UserPool pool, string userName) => (pool == UserPool.Operations ? "staff:" : "caller:") + userName;
}
