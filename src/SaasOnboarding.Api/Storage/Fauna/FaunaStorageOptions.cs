using System.ComponentModel.DataAnnotations;

namespace SaasOnboarding.Api.Storage.Fauna;

public sealed class FaunaStorageOptions : IValidatableObject
{
    public const string Section = "Storage:Fauna";

    /// <summary>Base address of the v10 query API. Defaults to a local self-hosted node.</summary>
    [Required]
    public string Endpoint { get; set; } = "http://localhost:8443";

    /// <summary>The parent database's admin key. Set this or <see cref="SecretParameterName"/>, not both.</summary>
    public string? Secret { get; set; }

    /// <summary>An SSM Parameter Store SecureString holding the parent key, read once at start.</summary>
    public string? SecretParameterName { get; set; }

    /// <summary>
    /// Optional path of the parent database below the key's own database (for example <c>saas</c>). Unset, the
    /// key's own database is the parent and a tenant's scoped key is <c>&lt;key&gt;:tenant_&lt;id&gt;:server</c>; set,
    /// the parent is reached as <c>&lt;key&gt;:saas:admin</c> and a tenant as <c>&lt;key&gt;:saas/tenant_&lt;id&gt;:server</c>.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$", ErrorMessage = "Storage:Fauna:ParentDatabase is a database path: names of letters, digits, _ and - separated by /.")]
    public string? ParentDatabase { get; set; }

    /// <summary>Sent as <c>X-Query-Timeout-Ms</c>.</summary>
    [Range(1, 600_000)]
    public int QueryTimeoutMs { get; set; } = 5_000;

    /// <summary>The client gives up at the query timeout plus this buffer.</summary>
    [Range(0, 60_000)]
    public int ClientDeadlineBufferMs { get; set; } = 5_000;

    /// <summary>Sent as <c>X-Max-Contention-Retries</c> when set.</summary>
    [Range(0, 7)]
    public int? MaxContentionRetries { get; set; }

    /// <summary>Attempts for a throttled (429) query, the first included.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First backoff step for a throttled query; doubled per attempt, with jitter.</summary>
    [Range(1, 10_000)]
    public int RetryBaseDelayMs { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"{Section}:Endpoint must be an absolute http(s) address.", [nameof(Endpoint)]);
        }

        if (string.IsNullOrWhiteSpace(Secret) == string.IsNullOrWhiteSpace(SecretParameterName))
        {
            yield return new ValidationResult(
                $"Set exactly one of {Section}:Secret and {Section}:SecretParameterName.",
                [nameof(Secret), nameof(SecretParameterName)]);
        }
    }
}
