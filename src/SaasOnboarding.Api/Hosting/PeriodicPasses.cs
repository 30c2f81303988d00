namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Background work done in passes (the webhook dispatcher, the registration reconciler, the purge service, …): one
/// pass as its own timer runs it, under its lease if it has one. Besides its timer, the Lambda schedule runs every
/// registered pass once per scheduled event (<see cref="LambdaEvents"/>).
/// </summary>
public interface IPeriodicPass
{
    /// <summary>The pass's name, its lease's where it has one.</summary>
    string Name { get; }

    /// <summary>Runs one pass; answers false when another instance holds its lease and so this one did not run.</summary>
    Task<bool> RunPassAsync(CancellationToken cancellationToken);
}

/// <summary>The loop of a background service that repeats a pass (the registration reconciler, the purge service).</summary>
public static class PeriodicPasses
{
    /// <summary>Registers the singleton <typeparamref name="TPass"/> as one of the app's <see cref="IPeriodicPass"/>es.</summary>
    public static IServiceCollection AddPeriodicPass<TPass>(this IServiceCollection services)
        where TPass : class, IPeriodicPass =>
        services.AddSingleton<IPeriodicPass>(provider => provider.GetRequiredService<TPass>());

    /// <summary>
    /// Runs <paramref name="pass"/> every <paramref name="interval"/> on <paramref name="time"/>'s clock until
    /// <paramref name="stoppingToken"/> stops it. A pass that throws is logged as "<paramref name="name"/> failed" and
    /// the next tick runs it again.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> pass, ILogger logger, string name, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await pass(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "{Pass} failed", name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
