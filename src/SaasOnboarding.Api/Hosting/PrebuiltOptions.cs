using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;
using Microsoft.Extensions.WebEncoders;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Tenancy;
using SaasOnboarding.Api.Tenants;
using SaasOnboarding.Api.Webhooks;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// The options services of one settings type registered as closed types built by code, in place of the open generic
/// registrations of <c>AddOptions</c> (<c>IOptions&lt;&gt;</c>, <c>IOptionsMonitor&lt;&gt;</c>, …). The container
/// makes a service of an open generic registration by constructing its type at run time, which a Native AOT binary
/// does through its type loader, and calls its constructor by reflection; for the settings read on the way to the
/// first answer that is a share of every cold start. The services are the framework's own classes with the same
/// lifetimes, so what a caller gets is what the open registrations would have made.
/// </summary>
internal static class PrebuiltOptions
{
    /// <summary>
    /// The settings read from start to the first answers (<c>/health</c>, then a tenant's first read): the host's,
    /// Kestrel's, logging's, the middleware's and handlers' that every request passes, and the app's own settings
    /// checked at start (<see cref="CheckedOptions.AddCheckedOptions"/> covers those it adds). Goes after every other
    /// registration. <c>PrebuiltOptionsTests</c> fails on a type read on that way and missing here.
    /// </summary>
    public static WebApplicationBuilder AddPrebuiltStartupOptions(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddPrebuiltOptions<HostOptions>()
            .AddPrebuiltOptions<ConsoleLifetimeOptions>()
            .AddPrebuiltOptions<KestrelServerOptions>()
            .AddPrebuiltOptions<SocketTransportOptions>()
            .AddPrebuiltOptions<HostFilteringOptions>()
            .AddPrebuiltOptions<FormOptions>()
            .AddPrebuiltOptions<WebEncoderOptions>()
            .AddPrebuiltOptions<LoggerFactoryOptions>()
            .AddPrebuiltOptions<LoggerFilterOptions>()
            .AddPrebuiltOptions<ConsoleLoggerOptions>()
            .AddPrebuiltOptions<SimpleConsoleFormatterOptions>()
            .AddPrebuiltOptions<JsonConsoleFormatterOptions>()
            .AddPrebuiltOptions<ConsoleFormatterOptions>()
            .AddPrebuiltOptions<RouteOptions>()
            .AddPrebuiltOptions<RouteHandlerOptions>()
            .AddPrebuiltOptions<JsonOptions>()
            .AddPrebuiltOptions<ValidationOptions>()
            .AddPrebuiltOptions<OpenApiOptions>()
            .AddPrebuiltOptions<ExceptionHandlerOptions>()
            .AddPrebuiltOptions<StatusCodePagesOptions>()
            .AddPrebuiltOptions<ProblemDetailsOptions>()
            .AddPrebuiltOptions<AuthenticationOptions>()
            .AddPrebuiltOptions<AuthenticationSchemeOptions>()
            .AddPrebuiltOptions<PolicySchemeOptions>()
            .AddPrebuiltOptions<JwtBearerOptions>()
            .AddPrebuiltOptions<AuthorizationOptions>()
            .AddPrebuiltOptions<PasswordHasherOptions>()
            .AddPrebuiltOptions<RateLimiterOptions>()
            .AddPrebuiltOptions<HealthCheckServiceOptions>()
            .AddPrebuiltOptions<HealthCheckPublisherOptions>()
            .AddPrebuiltOptions<MetricsOptions>()
            .AddPrebuiltOptions<MemoryCacheOptions>()
            .AddPrebuiltOptions<TenancyOptions>()
            .AddPrebuiltOptions<RegistrationOptions>()
            .AddPrebuiltOptions<PassLeaseOptions>()
            .AddPrebuiltOptions<AuditOptions>()
            .AddPrebuiltOptions<OffboardingOptions>()
            .AddPrebuiltOptions<WebhookOptions>();
        return builder;
    }

    internal static IServiceCollection AddPrebuiltOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this IServiceCollection services)
        where TOptions : class
    {
        services.AddTransient<IOptionsFactory<TOptions>>(provider => new OptionsFactory<TOptions>(
            provider.GetServices<IConfigureOptions<TOptions>>(),
            provider.GetServices<IPostConfigureOptions<TOptions>>(),
            provider.GetServices<IValidateOptions<TOptions>>()));
        services.AddSingleton<IOptionsMonitorCache<TOptions>>(_ => new OptionsCache<TOptions>());
        services.AddSingleton<IOptionsMonitor<TOptions>>(provider => new OptionsMonitor<TOptions>(
            provider.GetRequiredService<IOptionsFactory<TOptions>>(),
            provider.GetServices<IOptionsChangeTokenSource<TOptions>>(),
            provider.GetRequiredService<IOptionsMonitorCache<TOptions>>()));
        services.AddSingleton<IOptions<TOptions>>(provider => new OptionsManager<TOptions>(provider.GetRequiredService<IOptionsFactory<TOptions>>()));
        return services;
    }
}
