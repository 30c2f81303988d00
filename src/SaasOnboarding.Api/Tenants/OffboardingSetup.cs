using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Tenants;

public static class OffboardingSetup
{
    /// <summary>The offboarding settings (checked at start), the purge saga and the service that runs it.</summary>
    public static WebApplicationBuilder AddOffboarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OffboardingOptions>().BindConfiguration(OffboardingOptions.Section)
            .ValidateDuration($"{OffboardingOptions.Section}:Retention", o => o.Retention, TimeSpan.Zero, TimeSpan.FromDays(3650))
            .ValidateDuration($"{OffboardingOptions.Section}:PurgeInterval", o => o.PurgeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            .ValidateOnStart();
        builder.Services.AddScoped<PurgeSaga>();
        builder.Services.AddBackgroundPass<PurgeService>();
        builder.Services.AddPeriodicPass<PurgeService>();
        return builder;
    }
}
