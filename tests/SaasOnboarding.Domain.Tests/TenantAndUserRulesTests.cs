namespace SaasOnboarding.Domain.Tests;

public sealed class TenantAndUserRulesTests
{
    /// <summary>Every pair of statuses, with whether the move is allowed.</summary>
    public static TheoryData<TenantStatus, TenantStatus, bool> TenantMoves()
    {
        (TenantStatus From, TenantStatus To)[] allowed =
        [
            (TenantStatus.Provisioning, TenantStatus.Active),
            (TenantStatus.Active, TenantStatus.Inactive),
            (TenantStatus.Inactive, TenantStatus.Active),
            (TenantStatus.Active, TenantStatus.Active),
            (TenantStatus.Inactive, TenantStatus.Inactive),
            (TenantStatus.Active, TenantStatus.Offboarding),
            (TenantStatus.Inactive, TenantStatus.Offboarding),
            (TenantStatus.Offboarding, TenantStatus.Purging),
            (TenantStatus.Purging, TenantStatus.Purged),
        ];
        var data = new TheoryData<TenantStatus, TenantStatus, bool>();
        foreach (var from in Enum.GetValues<TenantStatus>())
        {
            foreach (var to in Enum.GetValues<TenantStatus>())
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TenantMoves))]
    public void TenantsMoveOnlyAlongTheLifecycleAndNothingLeavesPurged(TenantStatus from, TenantStatus to, bool allowed) =>
        Assert.Equal(allowed, TenantStates.CanMove(from, to));

    [Theory]
    [InlineData(TenantStatus.Provisioning, false, false, false)]
    [InlineData(TenantStatus.Active, true, true, true)]
    [InlineData(TenantStatus.Inactive, false, true, true)]
    [InlineData(TenantStatus.Offboarding, false, true, true)]
    [InlineData(TenantStatus.Purging, false, false, true)]
    [InlineData(TenantStatus.Purged, false, false, false)]
    public void OnlyActiveTenantsServeAndOnlyTenantsOutsideTheSagasAreManaged(TenantStatus status, bool serves, bool managed, bool listed)
    {
        Assert.Equal(serves, TenantStates.Serves(status));
        Assert.Equal(managed, TenantStates.IsManaged(status));
        Assert.Equal(listed, TenantStates.IsListed(status));
    }

    [Theory]
    [InlineData(TenantStatus.Offboarding, TenantStatus.Active, TenantStatus.Active)]
    [InlineData(TenantStatus.Offboarding, TenantStatus.Inactive, TenantStatus.Inactive)]
    [InlineData(TenantStatus.Offboarding, TenantStatus.Provisioning, null)]
    [InlineData(TenantStatus.Offboarding, TenantStatus.Offboarding, null)]
    [InlineData(TenantStatus.Offboarding, TenantStatus.Purged, null)]
    [InlineData(TenantStatus.Active, TenantStatus.Active, null)]
    [InlineData(TenantStatus.Inactive, TenantStatus.Inactive, null)]
    [InlineData(TenantStatus.Purging, TenantStatus.Active, null)]
    [InlineData(TenantStatus.Purged, TenantStatus.Inactive, null)]
    public void CancellingOffboardingRestoresTheStatusTheTenantHadBefore(TenantStatus status, TenantStatus before, TenantStatus? restored) =>
        Assert.Equal(restored, TenantStates.CancelledTo(status, before));

    [Fact]
    public void APurgeIsDueTheRetentionAfterOffboardingStarted()
    {
        var started = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 8, 0, 0, TimeSpan.Zero), TenantStates.PurgeAfter(started, TimeSpan.FromDays(30)));
    }

    [Theory]
    [InlineData(TenantStatus.Offboarding, -1, true)]
    [InlineData(TenantStatus.Offboarding, 0, true)]
    [InlineData(TenantStatus.Offboarding, 1, false)]
    [InlineData(TenantStatus.Offboarding, null, false)]
    [InlineData(TenantStatus.Purging, 1, true)]
    [InlineData(TenantStatus.Purging, null, true)]
    [InlineData(TenantStatus.Active, -1, false)]
    [InlineData(TenantStatus.Inactive, -1, false)]
    [InlineData(TenantStatus.Provisioning, -1, false)]
    [InlineData(TenantStatus.Purged, -1, false)]
    public void AnOffboardingTenantIsDueOnceItsPurgeAfterHasComeAndAStartedPurgeAlways(TenantStatus status, int? ticksFromNow, bool due)
    {
        var now = new DateTimeOffset(2026, 12, 31, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(due, TenantStates.IsDueForPurge(status, ticksFromNow is { } ticks ? now.AddTicks(ticks) : null, now));
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
