using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>
/// Signs Cognito admin requests with SigV4 (service <c>cognito-idp</c>) through AWSSDK.Core's signer. Credentials
/// are those of the app's <see cref="AWSOptions"/> when set, else the SDK's default chain (environment variables on
/// Lambda, a profile or instance role elsewhere), resolved at the first signed request, so the app starts and serves
/// sign-in without them.
/// </summary>
public sealed class CognitoRequestSigner
{
    public const string Service = "cognito-idp";

    private readonly RegionEndpoint _region;
    private AWSCredentials? _credentials;

    /// <summary>With the credentials of the app's <see cref="AWSOptions"/> (<c>SecretsSetup.AddAwsOptions</c>), if any.</summary>
    public CognitoRequestSigner(IOptions<CognitoIdentityOptions> options, AWSOptions aws)
        : this(options, aws.Credentials)
    {
    }

    /// <summary>With <paramref name="credentials"/> null, the default credential chain.</summary>
    internal CognitoRequestSigner(IOptions<CognitoIdentityOptions> options, AWSCredentials? credentials)
    {
        _region = RegionEndpoint.GetBySystemName(options.Value.Region);
        _credentials = credentials;
    }

    /// <summary>Adds <c>Authorization</c>, <c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c> (and the session token) to the request.</summary>
    public async Task SignAsync(HttpRequestMessage request, byte[] body, CancellationToken cancellationToken)
    {
        AWSCredentials credentials;
        try
        {
            // Resolved once and kept: the SDK's credential objects refresh themselves (role credentials expire).
            // A failure is not kept, so credentials that appear later are picked up.
            credentials = _credentials ??= await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null);
        }
        catch (AmazonClientException e)
        {
            throw new DirectoryException(DirectoryError.Unavailable, "No AWS credentials were found to sign the request to Cognito.", e);
        }

        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri,
            Content = body,
        };
        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            signing.Headers[header.Key] = string.Join(",", header.Value);
        }

        var signed = await AWSSigV4Signer.SignAsync(
            signing,
            new AWSSigV4Parameters { Credentials = credentials, Region = _region, Service = Service },
            cancellationToken);
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
