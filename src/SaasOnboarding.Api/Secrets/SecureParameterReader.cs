using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Secrets;

/// <summary>Reads an encrypted parameter (a SecureString) and answers its plain text.</summary>
public interface ISecureParameterReader
{
    Task<string> ReadSecureStringAsync(string parameterName, CancellationToken cancellationToken);
}
