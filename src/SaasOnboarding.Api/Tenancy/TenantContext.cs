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

    /// <summary>
    /// Provider staff: the SystemAdmin role, honoured only from the operations pool. The one copy of this rule: the
    /// authorization policies (<c>Auth/Policies.cs</c>) and the handlers both read it here.
    /// </summary>
    public bool IsSystemAdmin => Pool == UserPool.Operations && Role == Roles.SystemAdmin;

    public bool IsTenantAdmin => IsTenantMember(Roles.TenantAdmin);

    /// <summary>A user of the tenant pool with a tenant, acting with one of <paramref name="roles"/>.</summary>
    public bool IsTenantMember(params string[] roles) => Pool == UserPool.Tenant && TenantId is not null && roles.Contains(Role);

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
