using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Testing;

/// <summary>
/// The app on a real Fauna node (<c>FAUNA_ENDPOINT</c>, <c>FAUNA_SECRET</c>), in a parent database of its own that is
/// deleted afterwards; identity stays local. Like the live conformance suite, its tests are reported skipped without
/// the variables.
/// </summary>
public class FaunaLiveApp : AppFactory, IAsyncLifetime
{
    private readonly string _database;

    public FaunaLiveApp()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With settings of a subclass's own, beside the store's.</summary>
    protected FaunaLiveApp(IDictionary<string, string?> settings)
        : this("saas_onboarding_" + Guid.NewGuid().ToString("N")[..12], settings)
    {
    }

    private FaunaLiveApp(string database, IDictionary<string, string?> settings)
        : base(null, new Dictionary<string, string?>(settings)
        {
            ["Storage:Provider"] = "Fauna",
            ["Storage:Fauna:Endpoint"] = Environment.GetEnvironmentVariable(FaunaLiveStorageFixture.EndpointVariable),
            ["Storage:Fauna:Secret"] = Environment.GetEnvironmentVariable(FaunaLiveStorageFixture.SecretVariable),
            ["Storage:Fauna:ParentDatabase"] = database,
            ["Storage:Fauna:MaxContentionRetries"] = "7",
        }) => _database = database;

    private static bool Configured =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(FaunaLiveStorageFixture.EndpointVariable))
        && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(FaunaLiveStorageFixture.SecretVariable));

    public async Task InitializeAsync()
    {
        if (!Configured)
        {
            return;
        }

        using var root = RootClient();
        var database = new Dictionary<string, object?> { ["name"] = _database };
        await root.QueryAsync(Fql.Of($"Database.create({database})\nnull"), "onboarding_setup", null, CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (!Configured)
        {
            return;
        }

        using var root = RootClient();
        await root.QueryAsync(Fql.Of($"Database.byName({_database})?.delete()\nnull"), "onboarding_teardown", null, CancellationToken.None);
    }

    /// <summary>The app is built by a test's first request: without a node, that test is reported skipped.</summary>
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        if (!Configured)
        {
            throw FaunaLiveStorageFixture.NotConfigured();
        }

        base.ConfigureWebHost(builder);
    }

    private static FaunaClient RootClient()
    {
        var endpoint = Environment.GetEnvironmentVariable(FaunaLiveStorageFixture.EndpointVariable);
        var secret = Environment.GetEnvironmentVariable(FaunaLiveStorageFixture.SecretVariable);
        if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException(
                $"The live Fauna onboarding flow was not run: set {FaunaLiveStorageFixture.EndpointVariable} and {FaunaLiveStorageFixture.SecretVariable}.");
        }

        return new FaunaClient(new FaunaStorageOptions { Endpoint = endpoint, Secret = secret }, StartupSecret.FromValue(secret), NullLogger<FaunaClient>.Instance);
    }
}
