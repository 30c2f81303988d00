using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Hosting;

/// <summary>Says where the API, Swagger UI and the dev mailbox are, once the server listens.</summary>
public static class StartupBanner
{
    public static WebApplication LogStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var local = app.Configuration.UsesLocalIdentity();
            foreach (var address in addresses ?? [])
            {
                var baseUrl = address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
                app.Logger.LogInformation(
                    "SaasOnboarding API at {BaseUrl}; Swagger UI at {BaseUrl}/swagger{Mailbox}",
                    baseUrl,
                    baseUrl,
                    local ? $"; dev mailbox at {baseUrl}/dev/mailbox" : string.Empty);
            }
        });
        return app;
    }
}
