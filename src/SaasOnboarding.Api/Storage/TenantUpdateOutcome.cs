namespace SaasOnboarding.Api.Storage;

public enum TenantUpdateOutcome
{
    Updated,
    NotFound,
    NameTaken,

    /// <summary>The tenant's stored <c>UpdatedAt</c> is not the expected one: it changed since the caller read it.</summary>
    VersionMismatch,

    /// <summary>The tenant's status does not allow the change (<see cref="TenantStates"/>); nothing changed.</summary>
    NotAllowed,
}
