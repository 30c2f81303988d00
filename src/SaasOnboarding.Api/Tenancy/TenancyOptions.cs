namespace SaasOnboarding.Api.Tenancy;

public sealed class TenancyOptions
{
    public const string Section = "Tenancy";

    /// <summary>
    /// How long a tenant's status and a caller's state (its mapping, whether it is enabled, its role) are cached.
    /// Changes made through this instance evict the entry at once; on a store shared by instances, a change made
    /// through another moves the tenant's access revision, which every request reads (<see cref="TenantAccess"/>).
    /// </summary>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
