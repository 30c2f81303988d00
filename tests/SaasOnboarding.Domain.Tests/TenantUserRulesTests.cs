namespace SaasOnboarding.Domain.Tests;

public sealed class TenantUserRulesTests
{
    private static readonly TenantMember Ada = new("ada", Roles.TenantAdmin, Enabled: true);
    private static readonly TenantMember Bob = new("bob", Roles.TenantUser, Enabled: true);

    [Theory]
    [InlineData(null, UserChangeOutcome.NotFound)]
    [InlineData(TenantStatus.Provisioning, UserChangeOutcome.NotFound)]
    [InlineData(TenantStatus.Inactive, UserChangeOutcome.TenantInactive)]
    [InlineData(TenantStatus.Active, UserChangeOutcome.Done)]
    public void OnlyAnActiveManagedTenantTakesNewUsers(TenantStatus? status, UserChangeOutcome expected) =>
        Assert.Equal(expected, TenantUserRules.CanAdd(status));

    [Theory]
    [InlineData(null, true, UserChangeOutcome.NotFound)]
    [InlineData(TenantStatus.Offboarding, true, UserChangeOutcome.TenantInactive)]
    [InlineData(TenantStatus.Inactive, false, UserChangeOutcome.TenantInactive)]
    [InlineData(TenantStatus.Active, false, UserChangeOutcome.PreconditionFailed)]
    [InlineData(TenantStatus.Active, true, UserChangeOutcome.Done)]
    public void OneUserIsEnabledOnlyInAnActiveTenantAndInTheStateTheCallerExpected(TenantStatus? status, bool isExpectedVersion, UserChangeOutcome expected) =>
        Assert.Equal(expected, TenantUserRules.CanEnable(status, isExpectedVersion));

    [Theory]
    [InlineData(TenantStatus.Inactive, true, true, UserChangeOutcome.TenantInactive)]
    [InlineData(TenantStatus.Active, false, true, UserChangeOutcome.UserDisabled)]
    [InlineData(TenantStatus.Active, true, false, UserChangeOutcome.AlreadySignedIn)]
    [InlineData(TenantStatus.Active, true, true, UserChangeOutcome.Done)]
    public void AnInvitationIsResentOnlyToAnEnabledUserOfAnActiveTenantThatHasNotSignedIn(
        TenantStatus status, bool enabled, bool awaitingFirstSignIn, UserChangeOutcome expected) =>
        Assert.Equal(expected, TenantUserRules.CanResendInvitation(status, enabled, awaitingFirstSignIn));

    [Theory]
    [InlineData(false, false, UserChangeOutcome.PreconditionFailed)]
    [InlineData(true, false, UserChangeOutcome.PreconditionFailed)]
    [InlineData(true, true, UserChangeOutcome.UserEnabled)]
    [InlineData(false, true, UserChangeOutcome.Done)]
    public void OnlyADisabledUserInTheStateTheCallerExpectedIsRemoved(bool enabled, bool isExpectedVersion, UserChangeOutcome expected) =>
        Assert.Equal(expected, TenantUserRules.CanRemove(enabled, isExpectedVersion));

    [Fact]
    public void AStaleVersionIsRefusedBeforeTheLastAdminRule() =>
        Assert.Equal(UserChangeOutcome.PreconditionFailed, TenantUserRules.CanChange(Ada, Roles.TenantUser, true, isExpectedVersion: false, [Ada, Bob]));

    [Fact]
    public void DemotingOrDisablingTheLastEnabledAdminIsRefused()
    {
        Assert.Equal(UserChangeOutcome.LastAdmin, TenantUserRules.CanChange(Ada, Roles.TenantUser, true, isExpectedVersion: true, [Ada, Bob]));
        Assert.Equal(UserChangeOutcome.LastAdmin, TenantUserRules.CanChange(Ada, null, false, isExpectedVersion: true, [Ada, Bob]));
    }

    [Fact]
    public void OtherChangesGoAhead()
    {
        Assert.Equal(UserChangeOutcome.Done, TenantUserRules.CanChange(Bob, null, false, isExpectedVersion: true, [Ada, Bob]));
        Assert.Equal(UserChangeOutcome.Done, TenantUserRules.CanChange(Ada, Roles.TenantUser, true, isExpectedVersion: true, [Ada, Bob, new("dee", Roles.TenantAdmin, true)]));
    }

    [Fact]
    public void ActivationReenablesOnlyUsersStillMappedToTheTenantAndNotDisabledOnTheirOwn()
    {
        Assert.True(TenantUserRules.ReenabledOnActivation("t1", ("t1", true)));
        Assert.False(TenantUserRules.ReenabledOnActivation("t1", ("t1", false)));
        Assert.False(TenantUserRules.ReenabledOnActivation("t1", ("t2", true)));
        Assert.False(TenantUserRules.ReenabledOnActivation("t1", null));
    }
}
