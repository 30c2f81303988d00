using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SaasOnboarding.Api.Hosting;

public static class StartupWorkSetup
{
    /// <summary>Adds <typeparamref name="TWork"/> (a singleton) to the start-up work, after what was added before.</summary>
    internal static IServiceCollection AddStartupWork<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TWork>(
        this IServiceCollection services)
        where TWork : class, IHostedService
    {
        if (!services.Any(service => service.ServiceType == typeof(StartupWork)))
        {
            services.AddSingleton<StartupWork>();
            services.AddHostedService(provider => provider.GetRequiredService<StartupWork>());
        }

        services.TryAddSingleton<TWork>();
        services.AddSingleton(new StartupWork.Step(provider => provider.GetRequiredService<TWork>()));
        return services;
    }

    /// <summary>
    /// Holds every request until the start-up work is done; answers 503 if it failed (the host is then stopping).
    /// A request arrives early only in the moment between the server's start and the work's end.
    /// </summary>
    public static WebApplication UseStartupGate(this WebApplication app)
    {
        var work = app.Services.GetService<StartupWork>();
        if (work is null)
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            if (!work.Done.IsCompletedSuccessfully)
            {
                try
                {
                    await work.Done.WaitAsync(context.RequestAborted);
                }
                catch (Exception) when (work.Done.IsFaulted)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }
            }

            await next(context);
        });
        return app;
    }
}
