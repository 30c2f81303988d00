using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace SaasOnboarding.Api.Secrets;

/// <summary>SSM Parameter Store: <c>GetParameter</c> with <c>WithDecryption=true</c>, so KMS decrypts on the way out.</summary>
public sealed class SsmSecureParameterReader(IAmazonSimpleSystemsManagement ssm, ILogger<SsmSecureParameterReader> logger) : ISecureParameterReader
{
    public async Task<string> ReadSecureStringAsync(string parameterName, CancellationToken cancellationToken)
    {
        var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken);
        var parameter = response.Parameter ?? throw new InvalidOperationException($"SSM answered no parameter for {parameterName}.");

        // A plain String parameter would mean the secret sits unencrypted: refuse it rather than use it.
        if (parameter.Type != ParameterType.SecureString)
        {
            throw new InvalidOperationException($"SSM parameter {parameterName} is a {parameter.Type}, not a SecureString.");
        }

        if (string.IsNullOrEmpty(parameter.Value))
        {
            throw new InvalidOperationException($"SSM parameter {parameterName} is empty.");
        }

        logger.LogInformation("Read SecureString parameter {ParameterName} (version {ParameterVersion})", parameterName, parameter.Version);
        return parameter.Value;
    }
}
