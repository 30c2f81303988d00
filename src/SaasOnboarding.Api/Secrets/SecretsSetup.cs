using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Secrets;

public static class SecretsSetup
{
    /// <summary>
    /// Registers <see cref="ISecureParameterReader"/> over SSM. Credentials: an <see cref="AWSCredentials"/> service
    /// when one is registered (tests), otherwise the SDK's default chain (the function's role on Lambda).
    /// </summary>
    public static IServiceCollection AddSecureParameters(this IServiceCollection services)
    {
        services.AddOptions<AwsOptions>().BindConfiguration(AwsOptions.Section);
        services.TryAddSingleton<IAmazonSimpleSystemsManagement>(provider => CreateSsmClient(
            provider.GetRequiredService<IOptions<AwsOptions>>().Value,
            provider.GetService<AWSCredentials>()));
        services.TryAddSingleton<ISecureParameterReader, SsmSecureParameterReader>();
        return services;
    }

    public static AmazonSimpleSystemsManagementClient CreateSsmClient(AwsOptions options, AWSCredentials? credentials = null)
    {
        var config = new AmazonSimpleSystemsManagementConfig();
        if (!string.IsNullOrWhiteSpace(options.ServiceURL))
        {
            config.ServiceURL = options.ServiceURL;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
        }
        else if (!string.IsNullOrWhiteSpace(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return credentials is null ? new AmazonSimpleSystemsManagementClient(config) : new AmazonSimpleSystemsManagementClient(credentials, config);
    }
}
