using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Hosting;

public sealed class PassLeaseOptions
{
    public const string Section = "Leases";

    /// <summary>
    /// How long a lease runs without renewal: the longest a holder that crashed during a pass keeps every other
    /// instance from taking over.
    /// </summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// One pass of a kind at a time across every instance on the store (the registration reconciler, the purge service):
/// a lease row in the catalog, taken with one conditional write (<see cref="ITenantCatalog.TryTakeLeaseAsync"/>),
/// renewed every third of <see cref="PassLeaseOptions.Duration"/> while the pass runs and given up when it ends (its
/// expiry set to now). An instance whose tick finds the lease held skips its pass. A holder that crashes stops
/// renewing: its lease expires, and the next tick of any instance takes it and finishes the crashed holder's work.
/// </summary>
public sealed class PassLease(ITenantCatalog catalog, InstanceIdentity instance, IOptions<PassLeaseOptions> options, TimeProvider time, ILogger<PassLease> logger)
{
    /// <summary>Runs <paramref name="pass"/> if this instance holds, or can take, the lease <paramref name="name"/>; answers whether it ran.</summary>
    public async Task<bool> RunIfHeldAsync(string name, Func<CancellationToken, Task> pass, CancellationToken cancellationToken)
    {
        if (!await TakeAsync(name, cancellationToken))
        {
            return false;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewAsync(name, done.Token);
        try
        {
            await pass(cancellationToken);
        }
        finally
        {
            await done.CancelAsync();
            await renewing;
            await GiveUpAsync(name);
        }

        return true;
    }

    /// <summary>Ends the lease at once, if this instance still holds it: an expiry of now is one any instance may take.</summary>
    private async Task GiveUpAsync(string name)
    {
        try
        {
            await catalog.TryTakeLeaseAsync(name, instance.Id, time.GetUtcNow(), TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Giving up the lease {Lease} failed; it expires by itself", name);
        }
    }

    private Task<bool> TakeAsync(string name, CancellationToken cancellationToken) =>
        catalog.TryTakeLeaseAsync(name, instance.Id, time.GetUtcNow(), options.Value.Duration, cancellationToken);

    private async Task RenewAsync(string name, CancellationToken done)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.Duration / 3, time, done);
                if (!await TakeAsync(name, done))
                {
                    logger.LogWarning("Lost the lease {Lease} during a pass; another instance may run one too", name);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The pass ended.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Renewing the lease {Lease} failed; it expires unless the next tick takes it again", name);
        }
    }
}
