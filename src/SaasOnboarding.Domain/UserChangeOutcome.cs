namespace SaasOnboarding.Domain;

/// <summary>What a change to a tenant's users did.</summary>
public enum UserChangeOutcome
{
    /// <summary>Done: the user was created or changed.</summary>
    Done,

    /// <summary>No such tenant or user for this caller (or a tenant still provisioning); nothing changed.</summary>
    NotFound,

    /// <summary>The tenant is inactive, so it takes no new users; nothing changed.</summary>
    TenantInactive,

    /// <summary>The change would leave the tenant without an enabled TenantAdmin (<see cref="LastAdminRule"/>); nothing changed.</summary>
    LastAdmin,

    /// <summary>The user is not in the state the caller expected (a stale <c>If-Match</c>); nothing changed.</summary>
    PreconditionFailed,

    /// <summary>The user is disabled, so an invitation would not let it in; nothing changed.</summary>
    UserDisabled,

    /// <summary>The user has signed in and chosen its own password, so there is no invitation to send again; nothing changed.</summary>
    AlreadySignedIn,

    /// <summary>The user is enabled, and only a disabled user is removed; nothing changed.</summary>
    UserEnabled,
}
