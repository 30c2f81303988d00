using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

public sealed class TenancyOptions
{
    public const string Section = "Tenancy";

    /// <summary>
    /// How long a tenant's status and a user's mapping are cached. Changes made through this instance evict the
    /// entry at once; other instances see them within this time.
    /// </summary>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Answers, per request and cheaply, whether a tenant is active and whether a user's tokens are still honoured.
/// </summary>
public sealed class TenantAccess(ITenantCatalog catalog, IMemoryCache cache, IOptions<TenancyOptions> options)
{
    private readonly TimeSpan _duration = options.Value.StatusCacheDuration;

    /// <summary>The tenant's status and tier, or null when there is no such tenant.</summary>
    public async Task<TenantState?> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return ToState(await catalog.GetTenantAsync(tenantId, cancellationToken));
        }

        return await cache.GetOrCreateAsync(
            TenantKey(tenantId),
            async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = _duration;
                entry.Size = 1;
                return ToState(await catalog.GetTenantAsync(tenantId, cancellationToken));
            });
    }

    public async Task<TenantUserMapping?> GetUserAsync(string userName, CancellationToken cancellationToken)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await catalog.GetTenantUserAsync(userName, cancellationToken);
        }

        return await cache.GetOrCreateAsync(
            UserKey(userName),
            async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = _duration;
                entry.Size = 1;
                return await catalog.GetTenantUserAsync(userName, cancellationToken);
            });
    }

    public void ForgetTenant(string tenantId) => cache.Remove(TenantKey(tenantId));

    public void ForgetUser(string userName) => cache.Remove(UserKey(userName));

    private static TenantState? ToState(Tenant? tenant) => tenant is null ? null : new TenantState(tenant.Status, tenant.TenantTier);

    private static string TenantKey(string tenantId) => "tenant:" + tenantId;

    private static string UserKey(string userName) => "user:" + userName;
}

public sealed record TenantState(TenantStatus Status, string Tier);
