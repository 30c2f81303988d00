namespace SaasOnboarding.Api.Tenancy;

public sealed class TenancyOptions
{
    public const string Section = "Tenancy";

    /// <summary>
    /// How long a tenant's status and a caller's state (its mapping, whether it is enabled, its role) are cached. Changes made through this instance evict the
    /// entry at once; other instances see them within this time.
    /// </summary>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
