namespace SaasOnboarding.Domain;

/// <summary>What the reconciler does with a registration journal it finds.</summary>
public enum RecoveryAction
{
    /// <summary>A live registration (this instance's, or another's that moved recently): leave it alone.</summary>
    Leave,

    /// <summary>The registration reached its end and only the journal's removal was lost: drop the journal.</summary>
    DropJournal,

    /// <summary>An abandoned registration that did not reach its end: undo it (<see cref="RegistrationUndoPlan.For"/>).</summary>
    Undo,
}
