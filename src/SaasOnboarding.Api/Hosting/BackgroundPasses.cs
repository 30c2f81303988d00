using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// The periodic passes (the registration reconciler, the purge service, audit and outbox pruning, webhook delivery):
/// built and started <see cref="DelaySetting"/> (half a second by default) after the server has started, in the order
/// they were added, on a pool thread.
/// A cold start's first answer pays neither for building them (their services, loggers and settings) nor for their
/// first passes, and nothing they do shapes the store: requests never need to wait for them. A pass whose start
/// fails (its first pass, for those that run one at start) is logged and runs again at its next tick. They stop
/// with the host, in reverse order.
/// </summary>
internal sealed class BackgroundPasses(
    IServiceProvider services,
    IEnumerable<BackgroundPasses.Pass> passes,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    ILogger<BackgroundPasses> logger)
    : IHostedService
{
    /// <summary>
    /// The wait after the server has started: by default long enough for the requests that woke an instance (a
    /// readiness check, the first call) to be answered first. The in-process tests set it to zero.
    /// </summary>
    public const string DelaySetting = "Hosting:BackgroundPassesDelay";

    private readonly TimeSpan _delay = configuration.GetValue(DelaySetting, TimeSpan.FromMilliseconds(500));

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Concurrent: the host and a disposing test host may stop the app at the same moment.
    private readonly ConcurrentStack<IHostedService> _running = new();
    private Task _starting = Task.CompletedTask;

    /// <summary>Completes once every pass has been started (or the host stopped first).</summary>
    public Task Started => _started.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_delay < TimeSpan.Zero || _delay > TimeSpan.FromMinutes(10))
        {
            throw new OptionsValidationException(DelaySetting, typeof(TimeSpan), [$"{DelaySetting} must be between 00:00:00 and 00:10:00."]);
        }

        lifetime.ApplicationStarted.Register(() => _starting = Task.Run(StartPassesAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host signals ApplicationStopping before it stops its services: a start still under way ends first.
        await _starting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_running.TryPop(out var pass))
        {
            await pass.StopAsync(cancellationToken);
        }
    }

    private async Task StartPassesAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await Task.Delay(_delay, stopping);
            foreach (var pass in passes)
            {
                var service = pass.Resolve(services);
                _running.Push(service);
                try
                {
                    await service.StartAsync(stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Starting {Pass} failed; its next tick runs it again", service.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before every pass had started.
        }
        finally
        {
            _started.TrySetResult();
        }
    }

    /// <summary>One periodic pass: a service resolved and started in turn.</summary>
    internal sealed record Pass(Func<IServiceProvider, IHostedService> Resolve);
}

public static class BackgroundPassesSetup
{
    /// <summary>Adds <typeparamref name="TPass"/> (a singleton) to the passes started after the server, after those added before.</summary>
    internal static IServiceCollection AddBackgroundPass<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TPass>(
        this IServiceCollection services)
        where TPass : class, IHostedService
    {
        if (!services.Any(service => service.ServiceType == typeof(BackgroundPasses)))
        {
            services.AddSingleton<BackgroundPasses>();
            services.AddHostedService(provider => provider.GetRequiredService<BackgroundPasses>());
        }

        services.TryAddSingleton<TPass>();
        services.AddSingleton(new BackgroundPasses.Pass(provider => provider.GetRequiredService<TPass>()));
        return services;
    }
}
