using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>
/// The caller's rights as <see cref="TenantContext"/> decides them: the one copy the authorization policies and
/// the handlers read. No host: the context is made directly.
/// </summary>
public sealed class TenantContextTests
{
    [Theory]
    [InlineData(UserPool.Operations, Roles.SystemAdmin, null, true)]
    [InlineData(UserPool.Tenant, Roles.SystemAdmin, null, false)]
    [InlineData(UserPool.Tenant, Roles.SystemAdmin, "0123456789abcdef0123456789abcdef", false)]
    [InlineData(UserPool.Operations, Roles.TenantAdmin, null, false)]
    [InlineData(UserPool.Operations, null, null, false)]
    public void SystemAdminIsHonouredOnlyFromTheOperationsPool(UserPool pool, string? role, string? tenantId, bool expected)
    {
        var caller = new TenantContext();
        caller.Set("someone", pool, role, tenantId);

        Assert.Equal(expected, caller.IsSystemAdmin);
    }

    [Theory]
    [InlineData(UserPool.Tenant, Roles.TenantAdmin, "0123456789abcdef0123456789abcdef", true, true)]
    [InlineData(UserPool.Tenant, Roles.TenantUser, "0123456789abcdef0123456789abcdef", false, true)]
    [InlineData(UserPool.Tenant, Roles.TenantAdmin, null, false, false)]
    [InlineData(UserPool.Operations, Roles.TenantAdmin, "0123456789abcdef0123456789abcdef", false, false)]
    [InlineData(UserPool.Tenant, Roles.SystemAdmin, "0123456789abcdef0123456789abcdef", false, false)]
    public void TenantRolesNeedTheTenantPoolAndATenant(UserPool pool, string role, string? tenantId, bool admin, bool member)
    {
        var caller = new TenantContext();
        caller.Set("someone", pool, role, tenantId);

        Assert.Equal(admin, caller.IsTenantAdmin);
        Assert.Equal(member, caller.IsTenantMember(Roles.TenantAdmin, Roles.TenantUser));
    }
}
