using SaasOnboarding.Api.Tenants;
using SaasOnboarding.Api.Users;

namespace SaasOnboarding.Api.Tenancy;

public static class TenancySetup
{
    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TenancyOptions>().BindConfiguration(TenancyOptions.Section);
        builder.Services.AddMemoryCache(options => options.SizeLimit = 100_000);
        builder.Services.AddSingleton<TenantAccess>();
        builder.Services.AddSingleton<CallerCheck>();
        builder.Services.AddSingleton<TenantUserLocks>();
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddScoped<TenantLifecycle>();
        builder.Services.AddScoped<TenantUsers>();
        builder.Services.AddSingleton<TenantResolutionMiddleware>();
        return builder;
    }

    public static WebApplication UseTenantResolution(this WebApplication app)
    {
        app.UseMiddleware<TenantResolutionMiddleware>();
        return app;
    }
}
