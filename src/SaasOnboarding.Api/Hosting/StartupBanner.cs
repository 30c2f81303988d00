using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Says where the API, Swagger UI and (in Development) the dev mailbox are, once the server listens; elsewhere, where
/// the local identity provider keeps temporary passwords instead.
/// </summary>
public static class StartupBanner
{
    public static WebApplication LogStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var local = app.Configuration.UsesLocalIdentity();
            var mailbox = local && LocalIdentityApi.ServesMailbox(app.Environment);
            foreach (var address in addresses ?? [])
            {
                var baseUrl = ListeningAddress.Callable(address);
                app.Logger.LogInformation(
                    "SaasOnboarding at {BaseUrl}/ (sign-in and sign-up pages); Swagger UI at {SwaggerUrl}{Mailbox}",
                    baseUrl,
                    baseUrl + "/swagger",
                    mailbox ? $"; dev mailbox at {baseUrl}/dev/mailbox" : string.Empty);
            }

            if (local && !mailbox)
            {
                app.Logger.LogWarning(
                    "The local identity provider runs in the {Environment} environment, so /dev/mailbox is not served. " +
                    "Temporary passwords of new users are kept only in the mailbox table of {Database} on this host: hand them " +
                    "to their users yourself, or set Identity:Provider=Cognito to have them emailed",
                    app.Environment.EnvironmentName,
                    Path.Combine(app.Services.GetRequiredService<LocalIdentityDatabase>().DataDirectory, LocalIdentityDatabase.FileName));
            }
        });
        return app;
    }
}
