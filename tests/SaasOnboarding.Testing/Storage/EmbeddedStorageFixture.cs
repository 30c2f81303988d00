using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Testing;

/// <summary>The embedded SQLite store in a temporary directory.</summary>
public sealed class EmbeddedStorageFixture : IStorageFixture, IAsyncLifetime
{
    public EmbeddedStorageFixture()
    {
        Catalog = new SqliteTenantCatalog(Directory);
        Databases = new SqliteTenantDatabases(Directory);
        Webhooks = SqliteTenantCatalog.WebhookStore(Directory);
    }

    /// <summary>Where the catalog and the tenants' files are.</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "saas-storage-" + Guid.NewGuid().ToString("N"));

    public ITenantCatalog Catalog { get; }

    public ITenantDatabases Databases { get; }

    public IWebhookStore Webhooks { get; }

    public Task InitializeAsync() => Catalog.InitializeAsync(CancellationToken.None);

    public Task DisposeAsync()
    {
        ((IDisposable)Databases).Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
