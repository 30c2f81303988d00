namespace SaasOnboarding.Domain;

/// <summary>What undoes a registration that failed or was abandoned.</summary>
public static class RegistrationUndoPlan
{
    /// <summary>The steps that leave something to undo, in the order a registration runs them.</summary>
    private static readonly (string Step, RegistrationUndo Undo)[] Undoable =
    [
        (RegistrationSteps.Tenant, RegistrationUndo.DeleteTenant),
        (RegistrationSteps.Database, RegistrationUndo.DeleteDatabase),
        (RegistrationSteps.Group, RegistrationUndo.DeleteGroup),
        (RegistrationSteps.User, RegistrationUndo.DeleteUser),
        (RegistrationSteps.Mapping, RegistrationUndo.RemoveMapping),
        (RegistrationSteps.Users, RegistrationUndo.DeleteTenantUsers),
    ];

    /// <summary>
    /// The undo actions for a journal that started <paramref name="stepsStarted"/>, in the order they run: the
    /// reverse of the steps, so nothing is removed while something made after it still points at it. A step that
    /// started may have finished, so each started step is undone. Membership, activation and an import's data
    /// need no action of their own (they go with the user, the tenant record and the database); a step this version does not know is skipped.
    /// </summary>
    public static IReadOnlyList<RegistrationUndo> For(IReadOnlyList<string> stepsStarted) =>
        [.. Undoable.Reverse().Where(undoable => stepsStarted.Contains(undoable.Step)).Select(undoable => undoable.Undo)];
}
