namespace SaasOnboarding.Domain.Tests;

public sealed class TenantAndUserRulesTests
{
    public static TheoryData<TenantStatus, TenantStatus, bool> TenantMoves => new()
    {
        { TenantStatus.Provisioning, TenantStatus.Active, true },
        { TenantStatus.Active, TenantStatus.Inactive, true },
        { TenantStatus.Inactive, TenantStatus.Active, true },
        { TenantStatus.Active, TenantStatus.Active, true },
        { TenantStatus.Inactive, TenantStatus.Inactive, true },
        { TenantStatus.Provisioning, TenantStatus.Inactive, false },
        { TenantStatus.Active, TenantStatus.Provisioning, false },
        { TenantStatus.Inactive, TenantStatus.Provisioning, false },
    };

    [Theory]
    [MemberData(nameof(TenantMoves))]
    public void TenantsMoveBetweenActiveAndInactiveAndNeverBackToProvisioning(TenantStatus from, TenantStatus to, bool allowed) =>
        Assert.Equal(allowed, TenantStates.CanMove(from, to));

    [Theory]
    [InlineData(TenantStatus.Provisioning, false, false)]
    [InlineData(TenantStatus.Active, true, true)]
    [InlineData(TenantStatus.Inactive, false, true)]
    public void OnlyActiveTenantsServeAndProvisioningOnesAreNotManaged(TenantStatus status, bool serves, bool managed)
    {
        Assert.Equal(serves, TenantStates.Serves(status));
        Assert.Equal(managed, TenantStates.IsManaged(status));
    }

    [Theory]
    [InlineData("TenantAdmin", "TenantAdmin")]
    [InlineData("tenantadmin", "TenantAdmin")]
    [InlineData("TENANTUSER", "TenantUser")]
    [InlineData("SystemAdmin", null)]
    [InlineData("Admin", null)]
    public void TenantRolesAreReadIgnoringCaseAndSystemAdminIsNotOne(string role, string? expected) =>
        Assert.Equal(expected, Roles.TenantRole(role));

    private static readonly TenantMember Ada = new("ada", Roles.TenantAdmin, Enabled: true);

    [Fact]
    public void TheLastEnabledAdminCannotBeDemotedOrDisabled()
    {
        TenantMember[] members = [Ada, new("bob", Roles.TenantUser, true), new("cy", Roles.TenantAdmin, Enabled: false)];

        Assert.True(LastAdminRule.Refuses(Ada, Roles.TenantUser, enabled: true, members));
        Assert.True(LastAdminRule.Refuses(Ada, null, enabled: false, members));
    }

    [Fact]
    public void AnAdminWithAnotherEnabledAdminBesideItMayBeDemotedOrDisabled()
    {
        TenantMember[] members = [Ada, new("dee", Roles.TenantAdmin, true)];

        Assert.False(LastAdminRule.Refuses(Ada, Roles.TenantUser, enabled: true, members));
        Assert.False(LastAdminRule.Refuses(Ada, null, enabled: false, members));
    }

    [Fact]
    public void ChangesThatKeepTheAdminAnEnabledAdminAndChangesToOtherUsersAreNeverRefused()
    {
        TenantMember[] members = [Ada, new("bob", Roles.TenantUser, true)];

        Assert.False(LastAdminRule.Refuses(Ada, null, enabled: true, members));
        Assert.False(LastAdminRule.Refuses(Ada, Roles.TenantAdmin, enabled: true, members));
        Assert.False(LastAdminRule.Refuses(members[1], null, enabled: false, members));
        Assert.False(LastAdminRule.Refuses(new("cy", Roles.TenantAdmin, Enabled: false), Roles.TenantUser, enabled: false, members));
    }
}
