using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Registration;

public static class RegistrationSetup
{
    /// <summary>The registration saga, its compensation, and the reconciler that finishes crashed registrations.</summary>
    public static WebApplicationBuilder AddRegistration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section);
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddScoped<RegistrationSaga>();
        builder.Services.AddSingleton<RegistrationCompensation>();
        builder.Services.AddSingleton<RegistrationReconciler>();
        builder.Services.AddStartupWork<RegistrationReconciler>();
        return builder;
    }
}
