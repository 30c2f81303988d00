using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Testing;

/// <summary>The PostgreSQL store in a database of its own on the test server.</summary>
public sealed class PostgresStorageFixture : IStorageFixture, IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private PostgresTenantCatalog? _catalog;
    private PostgresTenantDatabases? _databases;

    public PostgresTestDatabase Database => _database;

    public ITenantCatalog Catalog => _catalog ?? throw new InvalidOperationException("Not initialized.");

    public ITenantDatabases Databases => _databases ?? throw new InvalidOperationException("Not initialized.");

    public IWebhookStore Webhooks => PostgresTenantCatalog.WebhookStore(_database.DataSource);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _catalog = new PostgresTenantCatalog(_database.DataSource);
        _databases = new PostgresTenantDatabases(_database.DataSource, NullLogger<PostgresTenantDatabases>.Instance);
        await _catalog.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => _database.DisposeAsync();
}
