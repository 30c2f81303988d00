namespace SaasOnboarding.Domain;

/// <summary>The tenant lifecycle: which states serve, which are managed, and which moves are allowed.</summary>
public static class TenantStates
{
    /// <summary>Whether a tenant in <paramref name="status"/> may call the API (its users' tokens are honoured).</summary>
    public static bool Serves(TenantStatus status) => status == TenantStatus.Active;

    /// <summary>
    /// Whether a tenant in <paramref name="status"/> exists for management (reads, updates, deactivation,
    /// activation, users): a tenant still provisioning is the registration saga's alone, and answers as missing.
    /// </summary>
    public static bool IsManaged(TenantStatus status) => status != TenantStatus.Provisioning;

    /// <summary>
    /// Whether a tenant may go from <paramref name="from"/> to <paramref name="to"/>: registration activates a
    /// provisioning tenant; an active tenant is deactivated and an inactive one activated, and both are idempotent
    /// (a call that stopped half-way is finished by calling it again). Nothing goes back to provisioning.
    /// </summary>
    public static bool CanMove(TenantStatus from, TenantStatus to) => (from, to) switch
    {
        (TenantStatus.Provisioning, TenantStatus.Active) => true,
        (TenantStatus.Active or TenantStatus.Inactive, TenantStatus.Active or TenantStatus.Inactive) => true,
        _ => false,
    };
}
