using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SaasOnboarding.Api.Secrets;

public static class SecretsSetup
{
    /// <summary>The configuration section of the AWS SDK's settings (<c>Region</c>, <c>ServiceURL</c>, <c>Profile</c>, …).</summary>
    public const string AwsSection = "AWS";

    /// <summary>
    /// The AWS SDK's <see cref="AWSOptions"/>, once, from the <see cref="AwsSection"/> section
    /// (AWSSDK.Extensions.NETCore.Setup's <c>GetAWSOptions</c>; empty on Lambda, where region and credentials come from
    /// the environment). Credentials: an <see cref="AWSCredentials"/> service when one is registered (tests),
    /// otherwise the SDK's default chain (the function's role on Lambda).
    /// </summary>
    public static IServiceCollection AddAwsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(service => service.ServiceType == typeof(AWSOptions)))
        {
            services.AddDefaultAWSOptions(provider =>
            {
                var options = configuration.GetAWSOptions(AwsSection);
                options.Credentials ??= provider.GetService<AWSCredentials>();

                // A ServiceURL (a local stand-in) names no region to sign for: the configured one, as at AWS.
                if (!string.IsNullOrEmpty(options.DefaultClientConfig.ServiceURL) && options.Region is { } region)
                {
                    options.DefaultClientConfig.AuthenticationRegion = region.SystemName;
                }

                return options;
            });
        }

        return services;
    }

    /// <summary>Registers <see cref="ISecureParameterReader"/> over SSM, whose client AWSSDK.Extensions.NETCore.Setup makes from <see cref="AWSOptions"/>.</summary>
    public static IServiceCollection AddSecureParameters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAwsOptions(configuration);
        services.TryAddAWSService<IAmazonSimpleSystemsManagement>();
        services.TryAddSingleton<ISecureParameterReader, SsmSecureParameterReader>();
        return services;
    }
}
