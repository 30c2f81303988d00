using System.Collections.Concurrent;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// The app's own start-up work (the catalog schema, the identity tables and seed), run in the order it was added, on
/// a pool thread, while the web host starts, so that a cold start does not pay for the two one after the other. The
/// periodic passes start later, after the server (<see cref="BackgroundPasses"/>). Nothing is served before the
/// work is done: requests wait at <see cref="StartupWorkSetup.UseStartupGate"/>. A failure still fails the host's start, because
/// <see cref="StartedAsync"/> awaits the work; the host stops what it started, and so does <see cref="StopAsync"/>.
/// </summary>
internal sealed class StartupWork(IServiceProvider services, IEnumerable<StartupWork.Step> steps) : IHostedLifecycleService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Concurrent: the host and a disposing test host may stop the app at the same moment.
    private readonly ConcurrentStack<IHostedService> _started = new();

    /// <summary>Completes when every step has started; faults with the first step's failure.</summary>
    public Task Done => _done.Task;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => RunAsync(cancellationToken), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Done.WaitAsync(cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A stop during the start waits for the step under way, so that it is stopped too.
        await Done.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_started.TryPop(out var work))
        {
            await work.StopAsync(cancellationToken);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var step in steps)
            {
                // Resolved here, not by the host: building these services (SQLite, the signing key) is part of the work.
                var work = step.Resolve(services);
                await work.StartAsync(cancellationToken);
                _started.Push(work);
            }

            _done.TrySetResult();
        }
        catch (Exception e)
        {
            _done.TrySetException(e);
        }
    }

    /// <summary>One piece of start-up work: a service resolved and started in turn.</summary>
    internal sealed record Step(Func<IServiceProvider, IHostedService> Resolve);
}
