using System.ComponentModel.DataAnnotations;

namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>The two Amazon Cognito user pools and their app clients (<c>Identity:Cognito</c>).</summary>
public sealed class CognitoIdentityOptions
{
    public const string Section = "Identity:Cognito";

    /// <summary>The pools' region, e.g. <c>eu-west-1</c>; also the SigV4 signing region.</summary>
    [Required(ErrorMessage = "Identity:Cognito:Region is required."), RegularExpression("^[a-z]{2}(-[a-z]+)+-[0-9]$", ErrorMessage = "Identity:Cognito:Region must be an AWS region such as eu-west-1.")]
    public string Region { get; set; } = string.Empty;

    /// <summary>The operations pool: provider staff, the only pool whose SystemAdmin role is honoured.</summary>
    [Required(ErrorMessage = "Identity:Cognito:OperationsUserPoolId is required."), RegularExpression(PoolIdPattern, ErrorMessage = "Identity:Cognito:OperationsUserPoolId must be a user pool id such as eu-west-1_AbC123.")]
    public string OperationsUserPoolId { get; set; } = string.Empty;

    /// <summary>The operations pool's app client (no client secret, USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH allowed).</summary>
    [Required(ErrorMessage = "Identity:Cognito:OperationsClientId is required."), RegularExpression(ClientIdPattern, ErrorMessage = "Identity:Cognito:OperationsClientId must be an app client id.")]
    public string OperationsClientId { get; set; } = string.Empty;

    /// <summary>The pooled tenant pool: every tenant's users, one group per tenant.</summary>
    [Required(ErrorMessage = "Identity:Cognito:TenantUserPoolId is required."), RegularExpression(PoolIdPattern, ErrorMessage = "Identity:Cognito:TenantUserPoolId must be a user pool id such as eu-west-1_AbC123.")]
    public string TenantUserPoolId { get; set; } = string.Empty;

    [Required(ErrorMessage = "Identity:Cognito:TenantClientId is required."), RegularExpression(ClientIdPattern, ErrorMessage = "Identity:Cognito:TenantClientId must be an app client id.")]
    public string TenantClientId { get; set; } = string.Empty;

    /// <summary>
    /// Empty for Amazon Cognito itself. Set, it points the adapter at a stand-in such as cognito-local: requests go
    /// to this URL, tokens are expected from the issuer <c>{ServiceUrl}/{poolId}</c>, and their keys are read from
    /// <c>{ServiceUrl}/{poolId}/.well-known/jwks.json</c>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>How often a throttled or failed read is retried before the caller gets 503.</summary>
    [Range(0, 10)]
    public int ReadRetries { get; set; } = 3;

    /// <summary>The first retry's delay (0 to 30 s); each further retry doubles it (plus jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    private const string PoolIdPattern = "^[\\w-]+_[0-9a-zA-Z]+$";
    private const string ClientIdPattern = "^[\\w+]+$";

    public Uri Endpoint() => string.IsNullOrWhiteSpace(ServiceUrl)
        ? new Uri($"https://cognito-idp.{Region}.amazonaws.com/")
        : new Uri(ServiceUrl.TrimEnd('/') + "/");

    /// <summary>The <c>iss</c> of the pool's tokens.</summary>
    public string IssuerOf(string poolId) => string.IsNullOrWhiteSpace(ServiceUrl)
        ? $"https://cognito-idp.{Region}.amazonaws.com/{poolId}"
        : $"{ServiceUrl.TrimEnd('/')}/{poolId}";

    // Methods, not properties: options validation reads every property, and these need valid settings first.

    /// <summary>Plain HTTP is allowed only for a stand-in on this machine.</summary>
    public bool UsesLoopbackStandIn() =>
        !string.IsNullOrWhiteSpace(ServiceUrl)
        && Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri)
        && uri.IsLoopback;
}
