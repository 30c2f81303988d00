using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Cognito;

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
