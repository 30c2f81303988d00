namespace SaasOnboarding.Domain;

/// <summary>The tenant lifecycle: which states serve, which are managed, and which moves are allowed.</summary>
public static class TenantStates
{
    /// <summary>Whether a tenant in <paramref name="status"/> may call the API (its users' tokens are honoured).</summary>
    public static bool Serves(TenantStatus status) => status == TenantStatus.Active;

    /// <summary>
    /// Whether a tenant in <paramref name="status"/> exists for management (reads, updates, deactivation,
    /// activation, offboarding, users): a tenant still provisioning is the registration saga's alone and one being
    /// purged the purge's alone, and both answer as missing, as a purged tenant (a tombstone) does.
    /// </summary>
    public static bool IsManaged(TenantStatus status) =>
        status is not (TenantStatus.Provisioning or TenantStatus.Purging or TenantStatus.Purged);

    /// <summary>Whether a tenant in <paramref name="status"/> is listed without asking for its status: all but tombstones and registrations in progress.</summary>
    public static bool IsListed(TenantStatus status) =>
        status is not (TenantStatus.Provisioning or TenantStatus.Purged);

    /// <summary>
    /// Whether a tenant may go from <paramref name="from"/> to <paramref name="to"/>: registration activates a
    /// provisioning tenant; an active tenant is deactivated and an inactive one activated, and both are idempotent
    /// (a call that stopped half-way is finished by calling it again); an active or inactive tenant starts
    /// offboarding; only the purge takes an offboarding tenant on, to purging and then purged. Nothing goes back to
    /// provisioning and nothing leaves purged. Cancelling offboarding is <see cref="CancelledTo"/>.
    /// </summary>
    public static bool CanMove(TenantStatus from, TenantStatus to) => (from, to) switch
    {
        (TenantStatus.Provisioning, TenantStatus.Active) => true,
        (TenantStatus.Active or TenantStatus.Inactive, TenantStatus.Active or TenantStatus.Inactive) => true,
        (TenantStatus.Active or TenantStatus.Inactive, TenantStatus.Offboarding) => true,
        (TenantStatus.Offboarding, TenantStatus.Purging) => true,
        (TenantStatus.Purging, TenantStatus.Purged) => true,
        _ => false,
    };

    /// <summary>
    /// The status cancelling offboarding restores: the one the tenant had before (<paramref name="before"/>, active
    /// or inactive). Null when the tenant is not offboarding, so there is nothing to cancel.
    /// </summary>
    public static TenantStatus? CancelledTo(TenantStatus status, TenantStatus before) =>
        status == TenantStatus.Offboarding && before is TenantStatus.Active or TenantStatus.Inactive ? before : null;

    /// <summary>When an offboarding that starts at <paramref name="startedAt"/> is due for purge.</summary>
    public static DateTimeOffset PurgeAfter(DateTimeOffset startedAt, TimeSpan retention) => startedAt + retention;

    /// <summary>
    /// Whether the purge service takes the tenant on at <paramref name="now"/>: an offboarding tenant whose
    /// retention has passed (<paramref name="purgeAfter"/> at or before now), or one whose purge began and must be
    /// finished.
    /// </summary>
    public static bool IsDueForPurge(TenantStatus status, DateTimeOffset? purgeAfter, DateTimeOffset now) => status switch
    {
        TenantStatus.Purging => true,
        TenantStatus.Offboarding => purgeAfter <= now,
        _ => false,
    };
}
