namespace SaasOnboarding.Domain;

/// <summary>Lifecycle of a tenant record (<see cref="TenantStates"/>). Only <see cref="Active"/> tenants may call the API.</summary>
public enum TenantStatus
{
    /// <summary>Registration is in progress (or was interrupted and awaits the reconciler).</summary>
    Provisioning,
    Active,
    Inactive,

    /// <summary>Deactivated and awaiting its purge after the retention window; cancellable until then.</summary>
    Offboarding,

    /// <summary>The purge has begun: it only goes forward, and a crash leaves it for the purge service to finish.</summary>
    Purging,

    /// <summary>A tombstone: the tenant's data is gone, its name is free, the record keeps who offboarded it and when.</summary>
    Purged,
}
