using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage.Embedded;
using SaasOnboarding.Api.Storage.Fauna;
using SaasOnboarding.Api.Storage.Postgres;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Storage;

public static class StorageSetup
{
    public const string ProviderSetting = "Storage:Provider";

    /// <summary>
    /// Registers the parent catalog, the child-database provisioner, and the scoped child-database client that
    /// is bound to the caller's tenant, for the store named by <c>Storage:Provider</c>.
    /// </summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var provider = builder.Configuration[ProviderSetting] ?? "Embedded";
        string system;
        switch (provider.ToUpperInvariant())
        {
            case "EMBEDDED":
                builder.AddEmbeddedStorage();
                system = "sqlite";
                break;
            case "FAUNA":
                builder.AddFaunaStorage();
                system = "fauna";
                break;
            case "POSTGRES":
                builder.AddPostgresStorage();
                system = "postgresql";
                break;
            default:
                throw new OptionsValidationException(
                    ProviderSetting,
                    typeof(string),
                    [$"{ProviderSetting} is '{provider}'; it must be Embedded, Fauna or Postgres."]);
        }

        // Scoped and built from the tenant context: an endpoint that takes ITenantDatabase gets the caller's
        // tenant's child database and no other, with a span per call; its changes write the request's audit entry,
        // and, on a store that reads the access revision with its own work, it checks the revision the request
        // expects, if any (Tenancy/DeferredAccessCheck.cs).
        builder.Services.AddScoped<ITenantDatabase>(services =>
        {
            var tenantId = services.GetRequiredService<TenantContext>().RequiredTenantId;
            var databases = services.GetRequiredService<ITenantDatabases>();
            var audit = services.GetRequiredService<ChangeRecords>().DataPlane(tenantId);
            return new TracedTenantDatabase(
                databases.ChecksAccessRevision ? databases.Open(tenantId, audit, services.GetRequiredService<DeferredAccessCheck>()) : databases.Open(tenantId, audit),
                system);
        });
        builder.Services.AddStartupWork<StorageInitializer>();
        return builder;
    }

    private static void AddEmbeddedStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<EmbeddedStorageOptions, EmbeddedStorageOptionsValidator>().BindConfiguration(EmbeddedStorageOptions.Section);
        builder.Services.AddSingleton<ITenantCatalog>(services => new SqliteTenantCatalog(EmbeddedDirectory(services)));
        builder.Services.AddSingleton(services => SqliteTenantCatalog.WebhookStore(EmbeddedDirectory(services)));
        builder.Services.AddSingleton<ITenantDatabases>(services => new SqliteTenantDatabases(
            EmbeddedDirectory(services),
            services.GetRequiredService<IOptions<EmbeddedStorageOptions>>().Value.MaxIdleConnections,
            services.GetRequiredService<TimeProvider>()));
    }

    private static string EmbeddedDirectory(IServiceProvider services) => Path.GetFullPath(
        services.GetRequiredService<IOptions<EmbeddedStorageOptions>>().Value.DataDirectory,
        services.GetRequiredService<IHostEnvironment>().ContentRootPath);
}
