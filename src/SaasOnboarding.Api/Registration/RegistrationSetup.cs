using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Registration;

public static class RegistrationSetup
{
    /// <summary>
    /// The registration saga, its compensation, the reconciler that finishes crashed registrations, and the lease that
    /// lets one instance at a time run it (and the purge service).
    /// </summary>
    public static WebApplicationBuilder AddRegistration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section);
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddOptions<PassLeaseOptions>().BindConfiguration(PassLeaseOptions.Section)
            .ValidateDuration($"{PassLeaseOptions.Section}:Duration", o => o.Duration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))
            .ValidateOnStart();
        builder.Services.AddSingleton<PassLease>();
        builder.Services.AddScoped<RegistrationSaga>();
        builder.Services.AddSingleton<RegistrationCompensation>();
        builder.Services.AddBackgroundPass<RegistrationReconciler>();
        builder.Services.AddPeriodicPass<RegistrationReconciler>();
        return builder;
    }
}
