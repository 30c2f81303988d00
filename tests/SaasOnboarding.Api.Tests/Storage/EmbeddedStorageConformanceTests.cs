using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Tests.Storage;

/// <summary>The embedded SQLite store in a temporary directory.</summary>
public sealed class EmbeddedStorageFixture : IStorageFixture, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "saas-storage-" + Guid.NewGuid().ToString("N"));

    public EmbeddedStorageFixture()
    {
        Catalog = new SqliteTenantCatalog(_directory);
        Databases = new SqliteTenantDatabases(_directory);
    }

    public ITenantCatalog Catalog { get; }

    public ITenantDatabases Databases { get; }

    public Task InitializeAsync() => Catalog.InitializeAsync(CancellationToken.None);

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class EmbeddedStorageConformanceTests(EmbeddedStorageFixture fixture)
    : StorageConformanceTests(fixture), IClassFixture<EmbeddedStorageFixture>;
