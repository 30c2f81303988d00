namespace SaasOnboarding.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Registrations per client IP per window.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int RegistrationPermits { get; set; } = 10;

    /// <summary>Sign-in, new-password and refresh calls per client IP per window.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int AuthPermits { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Data-plane requests per tenant per <see cref="TenantWindow"/>, by tier. Each tenant has its own bucket, so
    /// one tenant's burst never spends another's.
    /// </summary>
    public Dictionary<string, int> TenantPermits { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Basic"] = 50,
        ["Standard"] = 100,
        ["Premium"] = 250,
        ["Platinum"] = 500,
    };

    public TimeSpan TenantWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Tenant and user management calls per signed-in caller (user and pool) per <see cref="ManagementWindow"/>.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int ManagementCallerPermits { get; set; } = 120;

    /// <summary>
    /// Tenant and user management calls per tenant per <see cref="ManagementWindow"/>, all its admins together.
    /// Provider staff have no tenant: only their per-caller limit applies to them.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int ManagementTenantPermits { get; set; } = 240;

    public TimeSpan ManagementWindow { get; set; } = TimeSpan.FromMinutes(1);
}
