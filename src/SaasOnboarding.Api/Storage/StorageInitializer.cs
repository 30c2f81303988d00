namespace SaasOnboarding.Api.Storage;

/// <summary>Creates the parent schema before the app takes requests.</summary>
internal sealed class StorageInitializer(ITenantCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
