using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Api.Identity;

public static class IdentitySetup
{
    public const string ProviderSetting = "Identity:Provider";

    /// <summary>Registers the user directory, sign-in flows and token issuers of the provider named by <c>Identity:Provider</c>.</summary>
    public static WebApplicationBuilder AddIdentityProvider(this WebApplicationBuilder builder)
    {
        var provider = builder.Configuration[ProviderSetting] ?? "Local";
        switch (provider.ToUpperInvariant())
        {
            case "LOCAL":
                builder.AddLocalIdentity();
                break;
            default:
                throw new OptionsValidationException(
                    ProviderSetting,
                    typeof(string),
                    [$"{ProviderSetting} is '{provider}'; it must be Local."]);
        }

        return builder;
    }

    public static bool UsesLocalIdentity(this IConfiguration configuration) =>
        string.Equals(configuration[ProviderSetting] ?? "Local", "Local", StringComparison.OrdinalIgnoreCase);

    private static void AddLocalIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LocalIdentityOptions>()
            .BindConfiguration(LocalIdentityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new LocalSigningKey(Path.GetFullPath(
            services.GetRequiredService<IOptions<LocalIdentityOptions>>().Value.DataDirectory,
            services.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        builder.Services.AddSingleton<LocalUserDirectory>();
        builder.Services.AddSingleton<IUserDirectory>(services => services.GetRequiredService<LocalUserDirectory>());
        builder.Services.AddSingleton<IAuthenticator>(services => services.GetRequiredService<LocalUserDirectory>());
        builder.Services.AddSingleton<ITokenIssuers>(services => services.GetRequiredService<LocalUserDirectory>());
        builder.Services.AddHostedService<LocalIdentitySeeder>();
    }
}
