using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Email;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity.Cognito;
using SaasOnboarding.Api.Identity.Local;

using SaasOnboarding.Api.Secrets;

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
            case "COGNITO":
                builder.AddCognitoIdentity();
                break;
            default:
                throw new OptionsValidationException(
                    ProviderSetting,
                    typeof(string),
                    [$"{ProviderSetting} is '{provider}'; it must be Local or Cognito."]);
        }

        return builder;
    }

    public static bool UsesLocalIdentity(this IConfiguration configuration) =>
        string.Equals(configuration[ProviderSetting] ?? "Local", "Local", StringComparison.OrdinalIgnoreCase);

    private static void AddLocalIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<LocalIdentityOptions, LocalIdentityOptionsValidator>().BindConfiguration(LocalIdentityOptions.Section)
            .ValidateDuration($"{LocalIdentityOptions.Section}:TokenLifetime", o => o.TokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1))
            .ValidateDuration($"{LocalIdentityOptions.Section}:RefreshTokenLifetime", o => o.RefreshTokenLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(3650))
            .Validate(
                o => o.DevelopmentPasswordHashIterations is null || builder.Environment.IsDevelopment(),
                $"{LocalIdentityOptions.Section}:DevelopmentPasswordHashIterations is honoured only in Development; remove it.");
        builder.Services.AddSingleton(services => new LocalSigningKey(Path.GetFullPath(
            services.GetRequiredService<IOptions<LocalIdentityOptions>>().Value.DataDirectory,
            services.GetRequiredService<IHostEnvironment>().ContentRootPath)));
        // ASP.NET Core Identity's PBKDF2 hasher with its default PasswordHasherOptions (slow by design). From DI so
        // that a test host can configure PasswordHasherOptions.IterationCount lower; the app does so only in
        // Development, with DevelopmentPasswordHashIterations (refused elsewhere, above).
        builder.Services.TryAddSingleton<IPasswordHasher<string>, PasswordHasher<string>>();
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddOptions<PasswordHasherOptions>().Configure<IOptions<LocalIdentityOptions>>((hashing, local) =>
            {
                if (local.Value.DevelopmentPasswordHashIterations is { } iterations)
                {
                    hashing.IterationCount = iterations;
                }
            });
        }
        builder.Services.AddSingleton<LocalIdentityDatabase>();
        builder.Services.AddSingleton<LocalMailbox>();
        builder.AddEmail();
        builder.Services.AddSingleton<LocalSignInFailures>();
        builder.Services.AddSingleton<LocalRefreshTokens>();
        builder.Services.AddSingleton<LocalPasswordResetCodes>();
        builder.Services.AddSingleton(services => new LocalSecretKey(services.GetRequiredService<LocalIdentityDatabase>().DataDirectory));
        builder.Services.AddSingleton<LocalTotp>();
        builder.Services.AddSingleton<LocalUserDirectory>();
        builder.Services.AddSingleton<LocalTokenIssuer>();
        builder.Services.AddSingleton<LocalAuthenticator>();
        builder.Services.AddSingleton<IUserDirectory>(services => services.GetRequiredService<LocalUserDirectory>());
        builder.Services.AddSingleton<IAuthenticator>(services => services.GetRequiredService<LocalAuthenticator>());
        builder.Services.AddSingleton<ITokenIssuers>(services => services.GetRequiredService<LocalTokenIssuer>());
        builder.Services.AddStartupWork<LocalIdentitySeeder>();
    }

    private static void AddCognitoIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<CognitoIdentityOptions, CognitoIdentityOptionsAttributes>().BindConfiguration(CognitoIdentityOptions.Section)
            .ValidateDuration($"{CognitoIdentityOptions.Section}:RetryBaseDelay", o => o.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<IValidateOptions<CognitoIdentityOptions>, CognitoIdentityOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddAwsOptions(builder.Configuration);
        builder.Services.AddSingleton<CognitoRequestSigner>();
        builder.Services.AddSingleton<CognitoClient>();
        builder.Services.AddHttpClient(CognitoClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15))
            // The factory's own request logging must never show the SigV4 Authorization header.
            .RedactLoggedHeaders(_ => true);
        builder.Services.AddSingleton<CognitoUserDirectory>();
        builder.Services.AddSingleton<IUserDirectory>(services => services.GetRequiredService<CognitoUserDirectory>());
        builder.Services.AddSingleton<IAuthenticator>(services => services.GetRequiredService<CognitoUserDirectory>());
        builder.Services.AddSingleton<ITokenIssuers>(services => services.GetRequiredService<CognitoUserDirectory>());
    }
}
