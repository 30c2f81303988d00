namespace SaasOnboarding.Api.Storage;

/// <summary>The orders a tenants listing can take; each ends with the tenant id, so that no two tenants tie.</summary>
public enum TenantSort
{
    /// <summary>By the normalized name (<see cref="TenantNames.Normalize"/>).</summary>
    Name,

    /// <summary>By the time of registration.</summary>
    Created,

    /// <summary>By tier in the order of the plans (<see cref="Tenants.TenantTiers.All"/>: Basic first), then by name.</summary>
    Tier,
}
