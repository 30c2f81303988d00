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

/// <summary>Where the AWS SDK clients go. Empty on Lambda: region and credentials come from the environment.</summary>
public sealed class AwsOptions
{
    public const string Section = "AWS";

    /// <summary>For example <c>eu-west-1</c>; otherwise the SDK's own resolution (AWS_REGION on Lambda).</summary>
    public string? Region { get; set; }

    /// <summary>Overrides the service endpoint, for a local stand-in in tests or development.</summary>
    public string? ServiceURL { get; set; }
}

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

/// <summary>
/// A secret given either directly in configuration or as the name of a SecureString parameter, read once (at the
/// first use, which each adapter makes at start) and kept in memory. Reusable by any adapter.
/// </summary>
public sealed class StartupSecret : IDisposable
{
    private readonly string? _value;
    private readonly string? _parameterName;
    private readonly ISecureParameterReader? _reader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _loaded;

    private StartupSecret(string? value, string? parameterName, ISecureParameterReader? reader)
    {
        _value = value;
        _parameterName = parameterName;
        _reader = reader;
    }

    public static StartupSecret FromValue(string value) => new(value, null, null);

    public static StartupSecret FromParameter(string parameterName, ISecureParameterReader reader) => new(null, parameterName, reader);

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_value is not null)
        {
            return _value;
        }

        if (_loaded is { } loaded)
        {
            return loaded;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _loaded ??= await _reader!.ReadSecureStringAsync(_parameterName!, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Never the value: a secret that reaches a log through ToString is still a leak.</summary>
    public override string ToString() => _parameterName is null ? "StartupSecret(configured value)" : $"StartupSecret(parameter {_parameterName})";
}

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
