namespace SaasOnboarding.Domain.Tests;

public sealed class RegistrationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StepsStartInTheirOrderOneAfterAnother()
    {
        IReadOnlyList<string> journal = [];
        foreach (var step in RegistrationSteps.InOrder)
        {
            journal = RegistrationSteps.Start(journal, step);
        }

        Assert.Equal(
            ["tenant", "database", "group", "user", "membership", "mapping", "activate"],
            journal);
    }

    [Fact]
    public void WithoutAGroupPerTenantNeitherTheGroupNorTheMembershipIsAStepAndNothingAsksForTheGroupsRemoval()
    {
        Assert.Equal(RegistrationSteps.InOrder, RegistrationSteps.Order(import: false, groupPerTenant: true));
        Assert.Equal(RegistrationSteps.ImportInOrder, RegistrationSteps.Order(import: true, groupPerTenant: true));
        Assert.Equal(["tenant", "database", "user", "mapping", "activate"], RegistrationSteps.Order(import: false, groupPerTenant: false));
        Assert.Equal(["tenant", "database", "data", "user", "mapping", "users", "activate"], RegistrationSteps.Order(import: true, groupPerTenant: false));
        var order = RegistrationSteps.Order(import: false, groupPerTenant: false);
        Assert.Throws<InvalidOperationException>(() => RegistrationSteps.Start(["tenant", "database"], RegistrationSteps.Group, order));
        Assert.DoesNotContain(RegistrationUndo.DeleteGroup, RegistrationUndoPlan.For(order));
    }

    [Fact]
    public void AnImportStartsItsDataAfterTheDatabaseAndItsUsersAfterTheMappingButARegistrationStartsNeither()
    {
        IReadOnlyList<string> journal = [];
        foreach (var step in RegistrationSteps.ImportInOrder)
        {
            journal = RegistrationSteps.Start(journal, step, RegistrationSteps.ImportInOrder);
        }

        Assert.Equal(["tenant", "database", "data", "group", "user", "membership", "mapping", "users", "activate"], journal);
        Assert.Throws<InvalidOperationException>(() => RegistrationSteps.Start(["tenant", "database"], RegistrationSteps.Data));
        Assert.Throws<InvalidOperationException>(() => RegistrationSteps.Start(["tenant", "database"], RegistrationSteps.Group, RegistrationSteps.ImportInOrder));
    }

    [Fact]
    public void AnImportsUsersAreUndoneFirstAndItsDataGoesWithTheDatabase() =>
        Assert.Equal(
            [RegistrationUndo.DeleteTenantUsers, RegistrationUndo.RemoveMapping, RegistrationUndo.DeleteUser, RegistrationUndo.DeleteGroup, RegistrationUndo.DeleteDatabase, RegistrationUndo.DeleteTenant],
            RegistrationUndoPlan.For(RegistrationSteps.ImportInOrder));

    [Theory]
    [InlineData(new string[0], RegistrationSteps.Database)]
    [InlineData(new[] { RegistrationSteps.Tenant }, RegistrationSteps.Tenant)]
    [InlineData(new[] { RegistrationSteps.Tenant, RegistrationSteps.Database }, RegistrationSteps.User)]
    [InlineData(new[] { "tenant", "database", "group", "user", "membership", "mapping", "activate" }, RegistrationSteps.Activate)]
    public void AStepThatIsNotNextIsRefused(string[] started, string step) =>
        Assert.Throws<InvalidOperationException>(() => RegistrationSteps.Start(started, step));

    [Fact]
    public void ACompleteJournalIsUndoneInReverseStepOrder() =>
        Assert.Equal(
            [RegistrationUndo.RemoveMapping, RegistrationUndo.DeleteUser, RegistrationUndo.DeleteGroup, RegistrationUndo.DeleteDatabase, RegistrationUndo.DeleteTenant],
            RegistrationUndoPlan.For(RegistrationSteps.InOrder));

    [Fact]
    public void OnlyStartedStepsAreUndoneAndMembershipNeedsNoActionOfItsOwn() =>
        Assert.Equal(
            [RegistrationUndo.DeleteUser, RegistrationUndo.DeleteGroup, RegistrationUndo.DeleteDatabase, RegistrationUndo.DeleteTenant],
            RegistrationUndoPlan.For([RegistrationSteps.Tenant, RegistrationSteps.Database, RegistrationSteps.Group, RegistrationSteps.User, RegistrationSteps.Membership]));

    [Fact]
    public void AFailedFirstStepStillRemovesTheTenantRecordItMayHaveWritten() =>
        Assert.Equal([RegistrationUndo.DeleteTenant], RegistrationUndoPlan.For([RegistrationSteps.Tenant]));

    [Fact]
    public void AJournalOutOfOrderIsUndoneInStepOrderAndUnknownStepsAreSkipped() =>
        Assert.Equal(
            [RegistrationUndo.DeleteGroup, RegistrationUndo.DeleteDatabase, RegistrationUndo.DeleteTenant],
            RegistrationUndoPlan.For([RegistrationSteps.Database, "from-a-later-version", RegistrationSteps.Tenant, RegistrationSteps.Group]));

    [Fact]
    public void AnEmptyJournalHasNothingToUndo() => Assert.Empty(RegistrationUndoPlan.For([]));

    /// <summary>The workshop's name for a tenant's first admin, which sign-in pages and scripts rely on.</summary>
    [Fact]
    public void ATenantsFirstAdminIsNamedForTheTenant() =>
        Assert.Equal("tenant-admin-0a1b2c", RegistrationSteps.TenantAdminUserName("0a1b2c"));

    [Theory]
    [InlineData("other", 120, true)]
    [InlineData("other", 119, false)]
    [InlineData("other", 0, false)]
    [InlineData("me", 3600, false)]
    public void AJournalIsAbandonedWhenAnotherInstanceLeftItUnmovedForLongEnough(string writer, int ageSeconds, bool abandoned) =>
        Assert.Equal(abandoned, RegistrationJournals.IsAbandoned(writer, "me", Now.AddSeconds(-ageSeconds), Now, TimeSpan.FromMinutes(2)));

    [Theory]
    [InlineData(false, TenantStatus.Provisioning, RecoveryAction.Leave)]
    [InlineData(false, null, RecoveryAction.Leave)]
    [InlineData(true, TenantStatus.Provisioning, RecoveryAction.Undo)]
    [InlineData(true, null, RecoveryAction.Undo)]
    [InlineData(true, TenantStatus.Active, RecoveryAction.DropJournal)]
    [InlineData(true, TenantStatus.Inactive, RecoveryAction.DropJournal)]
    public void AnAbandonedJournalIsUndoneUnlessItsTenantGotPastProvisioning(bool abandoned, TenantStatus? status, RecoveryAction expected) =>
        Assert.Equal(expected, RegistrationJournals.Decide(abandoned, status));
}
