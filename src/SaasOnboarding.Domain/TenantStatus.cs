namespace SaasOnboarding.Domain;

/// <summary>Lifecycle of a tenant record. Only <see cref="Active"/> tenants may call the API.</summary>
public enum TenantStatus
{
    /// <summary>Registration is in progress (or was interrupted and awaits the reconciler).</summary>
    Provisioning,
    Active,
    Inactive,
}
