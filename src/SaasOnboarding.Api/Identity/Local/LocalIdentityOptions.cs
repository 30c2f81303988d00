using System.ComponentModel.DataAnnotations;

namespace SaasOnboarding.Api.Identity.Local;

public sealed class LocalIdentityOptions
{
    public const string Section = "Identity:Local";

    /// <summary>Holds <c>local-idp.db</c> and the token signing key. Relative paths resolve against the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The seeded system admin's password; when empty, one is generated at first start and printed once.</summary>
    public string? AdminPassword { get; set; }

    [Required, EmailAddress]
    public string AdminEmail { get; set; } = "admin@example.com";

    /// <summary>
    /// Tokens name <c>{IssuerBaseUrl}/local-idp/{poolId}</c> as their issuer; discovery is served there. When unset, the
    /// address the app listens on (its first, with a wildcard host read as <c>localhost</c>). Set it when clients reach
    /// the app through a proxy at another address.
    /// </summary>
    [Url]
    public string? IssuerBaseUrl { get; set; }

    [Required, RegularExpression("^[A-Za-z0-9_-]{1,55}$")]
    public string OperationsPoolId { get; set; } = "local_operations";

    [Required, RegularExpression("^[A-Za-z0-9_-]{1,55}$")]
    public string TenantPoolId { get; set; } = "local_tenant";

    [Required]
    public string OperationsClientId { get; set; } = "local-operations-client";

    [Required]
    public string TenantClientId { get; set; } = "local-tenant-client";

    /// <summary>
    /// Whether SystemAdmin accounts must sign in with TOTP MFA: one without it is answered an <c>MFA_SETUP</c>
    /// challenge at sign-in instead of tokens, and gets tokens once it has set MFA up and signs in with a code.
    /// </summary>
    public bool RequireMfaForSystemAdmins { get; set; }

    /// <summary>How long an ID or access token lives: 1 minute to 1 day.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a refresh token lives: 5 minutes to 3650 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// PBKDF2 iterations of the password hashes written, lower than ASP.NET Core Identity's default, for test runs
    /// that start the app as a process and hash many passwords. Honoured only in Development: elsewhere the app
    /// refuses to start with it set, so no configuration lowers the shipped cost.
    /// </summary>
    [Range(1_000, 100_000)]
    public int? DevelopmentPasswordHashIterations { get; set; }
}
