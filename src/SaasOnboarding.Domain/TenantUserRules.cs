namespace SaasOnboarding.Domain;

/// <summary>Whether a change to a tenant's users may go ahead, decided before anything is written.</summary>
public static class TenantUserRules
{
    /// <summary>
    /// Adding a user to a tenant in <paramref name="tenantStatus"/> (null: no such tenant): a tenant that is not
    /// managed answers as missing, and only a serving tenant takes new users.
    /// </summary>
    public static UserChangeOutcome CanAdd(TenantStatus? tenantStatus) =>
        tenantStatus is not { } status || !TenantStates.IsManaged(status) ? UserChangeOutcome.NotFound
        : !TenantStates.Serves(status) ? UserChangeOutcome.TenantInactive
        : UserChangeOutcome.Done;

    /// <summary>
    /// Enabling one user again, or every user of a tenant (<paramref name="isExpectedVersion"/> true): as adding one,
    /// only a serving tenant's (a deactivated tenant's users come back with the tenant), and only in the state the
    /// caller expected.
    /// </summary>
    public static UserChangeOutcome CanEnable(TenantStatus? tenantStatus, bool isExpectedVersion) =>
        CanAdd(tenantStatus) is not UserChangeOutcome.Done and var refused ? refused
        : !isExpectedVersion ? UserChangeOutcome.PreconditionFailed
        : UserChangeOutcome.Done;

    /// <summary>
    /// Sending a user its invitation (a new temporary password) again: only to an enabled user of a serving tenant
    /// that has not yet signed in (<paramref name="awaitingFirstSignIn"/>).
    /// </summary>
    public static UserChangeOutcome CanResendInvitation(TenantStatus? tenantStatus, bool enabled, bool awaitingFirstSignIn) =>
        CanAdd(tenantStatus) is not UserChangeOutcome.Done and var refused ? refused
        : !enabled ? UserChangeOutcome.UserDisabled
        : !awaitingFirstSignIn ? UserChangeOutcome.AlreadySignedIn
        : UserChangeOutcome.Done;

    /// <summary>
    /// Changing <paramref name="user"/> to <paramref name="role"/> (null: unchanged) and <paramref name="enabled"/>:
    /// refused when the caller expected another state of the user (<paramref name="isExpectedVersion"/> false),
    /// then when it would lose the tenant's last enabled TenantAdmin among <paramref name="members"/>.
    /// </summary>
    public static UserChangeOutcome CanChange(
        TenantMember user, string? role, bool enabled, bool isExpectedVersion, IEnumerable<TenantMember> members) =>
        !isExpectedVersion ? UserChangeOutcome.PreconditionFailed
        : LastAdminRule.Refuses(user, role, enabled, members) ? UserChangeOutcome.LastAdmin
        : UserChangeOutcome.Done;

    /// <summary>
    /// Removing a user for good: only in the state the caller expected, and only once it is disabled. The last-admin
    /// rule holds through that: a disabled user is never its tenant's last enabled TenantAdmin, and disabling it is
    /// the change <see cref="CanChange"/> refuses for the last one.
    /// </summary>
    public static UserChangeOutcome CanRemove(bool enabled, bool isExpectedVersion) =>
        !isExpectedVersion ? UserChangeOutcome.PreconditionFailed
        : enabled ? UserChangeOutcome.UserEnabled
        : UserChangeOutcome.Done;

    /// <summary>
    /// Whether activating <paramref name="tenantId"/> re-enables a user of its group whose mapping is
    /// <paramref name="mapping"/> (null: none): only one still mapped to this tenant and not disabled on its own.
    /// </summary>
    public static bool ReenabledOnActivation(string tenantId, (string TenantId, bool Enabled)? mapping) =>
        mapping is { Enabled: true } found && found.TenantId == tenantId;
}
