using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Audit;

public static class AuditSetup
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .ValidateDuration($"{AuditOptions.Section}:Retention", o => o.Retention, TimeSpan.FromDays(1), TimeSpan.FromDays(3650))
            .ValidateDuration($"{AuditOptions.Section}:PruneInterval", o => o.PruneInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            .Validate(o => o.TenantsPerPass is >= 1 and <= 10_000, $"{AuditOptions.Section}:TenantsPerPass must be between 1 and 10000.")
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ChangeRecords>();
        builder.Services.AddBackgroundPass<AuditRetention>();
        builder.Services.AddPeriodicPass<AuditRetention>();
        return builder;
    }
}
