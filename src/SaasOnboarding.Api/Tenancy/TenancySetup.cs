using Microsoft.Extensions.Options;
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
        // Built by a factory, not by the container's reflection over the constructor (Native AOT): one of each per request.
        builder.Services.AddScoped(_ => new TenantContext());
        builder.Services.AddScoped(services => new DeferredAccessCheck(services.GetRequiredService<CallerCheck>()));
        builder.AddTenantMembers();
        builder.Services.AddScoped<TenantLifecycle>();
        builder.Services.AddScoped<TenantUsers>();
        builder.Services.AddSingleton<TenantResolutionMiddleware>();
        return builder;
    }

    /// <summary><see cref="TenantMembers"/>, with <c>Identity:GroupPerTenant</c> checked at start (true unless set).</summary>
    private static void AddTenantMembers(this WebApplicationBuilder builder)
    {
        var groupPerTenant = builder.Configuration[TenantMembers.GroupPerTenantSetting];
        if (groupPerTenant is not null && !bool.TryParse(groupPerTenant, out _))
        {
            throw new OptionsValidationException(
                TenantMembers.GroupPerTenantSetting,
                typeof(bool),
                [$"{TenantMembers.GroupPerTenantSetting} is '{groupPerTenant}'; it must be true or false."]);
        }

        builder.Services.AddSingleton(new TenantMembers.Settings(groupPerTenant is null || bool.Parse(groupPerTenant)));
        builder.Services.AddSingleton<TenantMembers>();
    }

    /// <summary>
    /// The one <see cref="TenantResolutionMiddleware"/>, taken from the container at the first request: through
    /// <c>UseMiddleware</c>, an <see cref="IMiddleware"/> is asked of a middleware factory that the container builds
    /// for every request.
    /// </summary>
    public static WebApplication UseTenantResolution(this WebApplication app)
    {
        app.Use(next =>
        {
            TenantResolutionMiddleware? middleware = null;
            return context => (middleware ??= context.RequestServices.GetRequiredService<TenantResolutionMiddleware>()).InvokeAsync(context, next);
        });
        return app;
    }
}
