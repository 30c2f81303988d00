namespace SaasOnboarding.Api.Secrets;

/// <summary>Reads an encrypted parameter (a SecureString) and answers its plain text.</summary>
public interface ISecureParameterReader
{
    Task<string> ReadSecureStringAsync(string parameterName, CancellationToken cancellationToken);
}
