using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Tests.Secrets;

public sealed class SsmSecureParameterTests
{
    private const string SecretValue = "fnAE-ssm-DECRYPTED-parent-key-77";

    private static readonly Dictionary<string, (string Type, string Value)> Parameters = new()
    {
        ["/saas/fauna/secret"] = ("SecureString", SecretValue),
        ["/saas/plain"] = ("String", "not protected"),
    };

    /// <summary>The reader as the app registers it: the SSM client from the <c>AWS</c> settings section, the test's credentials.</summary>
    private static ISecureParameterReader Reader(FakeSsm ssm, LogCapture logs)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AWS:ServiceURL"] = ssm.Url.ToString(), ["AWS:Region"] = "eu-west-1" })
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSingleton<AWSCredentials>(new BasicAWSCredentials("AKIDTEST", "test-secret-key"))
            .AddSecureParameters(configuration);
        return services.BuildServiceProvider().GetRequiredService<ISecureParameterReader>();
    }

    [Fact]
    public async Task ASecureStringIsReadWithDecryptionThroughASignedGetParameterAndNeverLogged()
    {
        await using var ssm = await FakeSsm.StartAsync(Parameters);
        var logs = new LogCapture();

        var value = await Reader(ssm, logs).ReadSecureStringAsync("/saas/fauna/secret", CancellationToken.None);

        Assert.Equal(SecretValue, value);
        var call = Assert.Single(ssm.Calls);
        Assert.Equal("AmazonSSM.GetParameter", call.Target);
        Assert.Equal("application/x-amz-json-1.1", call.ContentType);
        Assert.Equal("/saas/fauna/secret", call.Body.GetProperty("Name").GetString());
        Assert.True(call.Body.GetProperty("WithDecryption").GetBoolean());
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", call.Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/ssm/aws4_request", call.Authorization, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains("/saas/fauna/secret", StringComparison.Ordinal));
        Assert.DoesNotContain(SecretValue, logs.All(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlainStringParameterIsRefusedAsASecret()
    {
        await using var ssm = await FakeSsm.StartAsync(Parameters);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Reader(ssm, new LogCapture()).ReadSecureStringAsync("/saas/plain", CancellationToken.None));

        Assert.Contains("not a SecureString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not protected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingParameterFailsWithTheServicesError()
    {
        await using var ssm = await FakeSsm.StartAsync(Parameters);

        await Assert.ThrowsAsync<ParameterNotFoundException>(
            () => Reader(ssm, new LogCapture()).ReadSecureStringAsync("/saas/none", CancellationToken.None));
    }

    [Fact]
    public async Task AStartupSecretReadsItsParameterOnceHoweverOftenAndConcurrentlyItIsAsked()
    {
        await using var ssm = await FakeSsm.StartAsync(Parameters);
        using var secret = StartupSecret.FromParameter("/saas/fauna/secret", Reader(ssm, new LogCapture()));

        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => secret.GetAsync(CancellationToken.None).AsTask()));
        var later = await secret.GetAsync(CancellationToken.None);

        Assert.All(values, value => Assert.Equal(SecretValue, value));
        Assert.Equal(SecretValue, later);
        Assert.Single(ssm.Calls);
        Assert.DoesNotContain(SecretValue, secret.ToString(), StringComparison.Ordinal);
    }
}
