using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Storage.Fauna;

public static class FaunaStorageSetup
{
    /// <summary>
    /// <c>Storage:Provider=Fauna</c>: the parent catalog and the child databases in Fauna, over one
    /// <see cref="FaunaClient"/>. The key comes from <c>Storage:Fauna:Secret</c> or from the SecureString named by
    /// <c>Storage:Fauna:SecretParameterName</c>, read once when the catalog is initialized at start.
    /// </summary>
    public static WebApplicationBuilder AddFaunaStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<FaunaStorageOptions, FaunaStorageOptionsValidator>().BindConfiguration(FaunaStorageOptions.Section);
        builder.Services.AddSecureParameters(builder.Configuration);
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<FaunaStorageOptions>>().Value;
            var secret = string.IsNullOrWhiteSpace(options.SecretParameterName)
                ? StartupSecret.FromValue(options.Secret!)
                : StartupSecret.FromParameter(options.SecretParameterName, services.GetRequiredService<ISecureParameterReader>());
            return new FaunaClient(
                options,
                secret,
                services.GetRequiredService<ILogger<FaunaClient>>(),
                services.GetKeyedService<HttpMessageHandler>(FaunaClient.HttpHandlerKey));
        });
        builder.Services.AddSingleton<ITenantCatalog, FaunaTenantCatalog>();
        builder.Services.AddSingleton<IWebhookStore, FaunaWebhookStore>();
        builder.Services.AddSingleton<ITenantDatabases>(services => new FaunaTenantDatabases(
            services.GetRequiredService<FaunaClient>(),
            services.GetRequiredService<ILogger<FaunaTenantDatabases>>(),
            services.GetService<TimeProvider>()));
        return builder;
    }
}
