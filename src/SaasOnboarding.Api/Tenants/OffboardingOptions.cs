namespace SaasOnboarding.Api.Tenants;

public sealed class OffboardingOptions
{
    public const string Section = "Offboarding";

    /// <summary>How long an offboarding tenant is kept (cancellable, its export downloadable) before it is purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the purge service looks for tenants due for purge after the pass it makes at start.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(5);
}
