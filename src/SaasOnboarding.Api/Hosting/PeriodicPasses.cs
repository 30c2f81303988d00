namespace SaasOnboarding.Api.Hosting;

/// <summary>The loop of a background service that repeats a pass (the registration reconciler, the purge service).</summary>
public static class PeriodicPasses
{
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
