using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Testing;

/// <summary>
/// A real Fauna node, named by <c>FAUNA_ENDPOINT</c> and <c>FAUNA_SECRET</c> (an admin key). The suite runs in a
/// database of its own, created under the key's database and deleted afterwards with every tenant database in it.
/// Without the variables every test of the class is reported skipped, with a message saying what to set, so that it
/// never counts as passed when it did not run (trait <c>Category=FaunaLive</c> selects the suite alone).
/// </summary>
public sealed class FaunaLiveStorageFixture : IStorageFixture, IAsyncLifetime, IDisposable
{
    public const string EndpointVariable = "FAUNA_ENDPOINT";
    public const string SecretVariable = "FAUNA_SECRET";

    private readonly string _database = "saas_conformance_" + Guid.NewGuid().ToString("N")[..12];
    private FaunaClient? _root;
    private FaunaClient? _client;
    private FaunaTenantCatalog? _catalog;
    private FaunaTenantDatabases? _databases;
    private FaunaWebhookStore? _webhooks;

    public ITenantCatalog Catalog => _catalog ?? throw NotConfigured();

    public ITenantDatabases Databases => _databases ?? throw NotConfigured();

    public IWebhookStore Webhooks => _webhooks ?? throw NotConfigured();

    public async Task InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        var secret = Environment.GetEnvironmentVariable(SecretVariable);
        if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(secret))
        {
            // Each test skips itself when it asks for the catalog or the databases.
            return;
        }

        _root = new FaunaClient(new FaunaStorageOptions { Endpoint = endpoint, Secret = secret }, StartupSecret.FromValue(secret), NullLogger<FaunaClient>.Instance);
        var database = new Dictionary<string, object?> { ["name"] = _database };
        await _root.QueryAsync(Fql.Of($"Database.create({database})\nnull"), "conformance_setup", null, CancellationToken.None);

        _client = new FaunaClient(
            new FaunaStorageOptions { Endpoint = endpoint, Secret = secret, ParentDatabase = _database, MaxContentionRetries = 7 },
            StartupSecret.FromValue(secret),
            NullLogger<FaunaClient>.Instance);
        _catalog = new FaunaTenantCatalog(_client, NullLogger<FaunaTenantCatalog>.Instance);
        _databases = new FaunaTenantDatabases(_client, NullLogger<FaunaTenantDatabases>.Instance);
        _webhooks = new FaunaWebhookStore(_client);
        await _catalog.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_root is not null)
        {
            await _root.QueryAsync(Fql.Of($"Database.byName({_database})?.delete()\nnull"), "conformance_teardown", null, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _root?.Dispose();
    }

    /// <summary>Why a live test did not run; <c>SkippableFact</c> reports the test as skipped with this message.</summary>
    internal static SkipException NotConfigured() => new(
        $"The live Fauna suite needs a real node: set {EndpointVariable} (for example http://localhost:8443) and {SecretVariable} (an admin key).");
}
