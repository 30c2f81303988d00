using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Who is calling, resolved once per request from the verified ID token by <see cref="TenantResolutionMiddleware"/>.
/// </summary>
public sealed class TenantContext
{
    public string? UserName { get; private set; }

    /// <summary>The caller's tenant; null for provider staff and anonymous callers.</summary>
    public string? TenantId { get; private set; }

    public string? Role { get; private set; }

    /// <summary>The tier of the caller's tenant, once resolution has read it.</summary>
    public string? TenantTier { get; private set; }

    public UserPool? Pool { get; private set; }

    public bool IsSystemAdmin => Pool == UserPool.Operations && Role == Roles.SystemAdmin;

    public bool IsTenantAdmin => Pool == UserPool.Tenant && Role == Roles.TenantAdmin && TenantId is not null;

    /// <summary>The tenant id, for services that only make sense inside a tenant.</summary>
    public string RequiredTenantId => TenantId ?? throw new InvalidOperationException("This request has no tenant.");

    internal void Set(string userName, UserPool pool, string? role, string? tenantId)
    {
        UserName = userName;
        Pool = pool;
        Role = role;
        TenantId = tenantId;
    }

    internal void SetTier(string tier) => TenantTier = tier;
}
