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

    public async Task<TenantStatus?> GetTenantStatusAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return (await catalog.GetTenantAsync(tenantId, cancellationToken))?.Status;
        }

        return await cache.GetOrCreateAsync(
            TenantKey(tenantId),
            async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = _duration;
                entry.Size = 1;
                return (await catalog.GetTenantAsync(tenantId, cancellationToken))?.Status;
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

    private static string TenantKey(string tenantId) => "tenant:" + tenantId;

    private static string UserKey(string userName) => "user:" + userName;
}
