using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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

    /// <summary>The first retry's delay; each further retry doubles it (plus jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
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

/// <summary>The checks that span settings, each naming the setting at fault.</summary>
internal sealed class CognitoIdentityOptionsValidator : IValidateOptions<CognitoIdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, CognitoIdentityOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || !string.IsNullOrEmpty(uri.Query))
            {
                failures.Add("Identity:Cognito:ServiceUrl must be an absolute http(s) URL without a query.");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                failures.Add("Identity:Cognito:ServiceUrl may use plain http only on a loopback address (a local stand-in); use https elsewhere.");
            }
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            // Amazon Cognito names a pool after its region: a mismatch means tokens would never validate.
            foreach (var (setting, poolId) in new[]
                     {
                         ("OperationsUserPoolId", options.OperationsUserPoolId),
                         ("TenantUserPoolId", options.TenantUserPoolId),
                     })
            {
                if (!string.IsNullOrEmpty(poolId) && !poolId.StartsWith(options.Region + "_", StringComparison.Ordinal))
                {
                    failures.Add($"Identity:Cognito:{setting} '{poolId}' is not a pool of region '{options.Region}' (Identity:Cognito:Region).");
                }
            }
        }

        if (!string.IsNullOrEmpty(options.OperationsUserPoolId) && options.OperationsUserPoolId == options.TenantUserPoolId)
        {
            failures.Add("Identity:Cognito:OperationsUserPoolId and Identity:Cognito:TenantUserPoolId must name two different pools.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The attributes of <see cref="CognitoIdentityOptions"/>, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class CognitoIdentityOptionsAttributes : IValidateOptions<CognitoIdentityOptions>;
