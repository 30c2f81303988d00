using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Registration;

/// <summary>
/// Finishes what crashed registrations left: once the app has started (<see cref="BackgroundPasses"/>) and then periodically,
/// it undoes every abandoned registration that had not reached its end, and drops journals of finished ones. Only the
/// instance that holds the lease <see cref="LeaseName"/> runs these passes (<see cref="PassLease"/>); one that finds
/// it held skips its pass.
/// </summary>
public sealed class RegistrationReconciler(
    ITenantCatalog catalog,
    RegistrationCompensation compensation,
    InstanceIdentity instance,
    PassLease lease,
    IOptions<RegistrationOptions> options,
    TimeProvider time,
    ILogger<RegistrationReconciler> logger) : BackgroundService, IPeriodicPass
{
    public const string LeaseName = "registration-reconciler";

    public string Name => LeaseName;

    /// <summary>A first pass, then the periodic ones, which start even if the first failed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunPassAsync(cancellationToken);
        }
        finally
        {
            await base.StartAsync(cancellationToken);
        }
    }

    /// <summary>One pass; answers how many registrations it undid.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var undone = 0;
        foreach (var journal in await catalog.ListJournalsAsync(cancellationToken))
        {
            if (!RegistrationJournals.IsAbandoned(journal.InstanceId, instance.Id, journal.UpdatedAt, time.GetUtcNow(), options.Value.AbandonAfter))
            {
                continue;
            }

            try
            {
                var tenant = await catalog.GetTenantAsync(journal.TenantId, cancellationToken);
                switch (RegistrationJournals.Decide(abandoned: true, tenant?.Status))
                {
                    case RecoveryAction.DropJournal:
                        await catalog.DeleteJournalAsync(journal.TenantId, cancellationToken);
                        break;
                    case RecoveryAction.Undo:
                        await compensation.UndoAsync(journal.TenantId, journal.StepsStarted, cancellationToken);
                        undone++;
                        logger.LogWarning("Undid abandoned registration of tenant {TenantId}", journal.TenantId);
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Reconciling the registration of tenant {TenantId} failed; will retry", journal.TenantId);
            }
        }

        return undone;
    }

    public Task<bool> RunPassAsync(CancellationToken cancellationToken) => lease.RunIfHeldAsync(LeaseName, ReconcileAsync, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPasses.RunAsync(options.Value.ReconcileInterval, time, RunPassAsync, logger, "A reconciliation pass", stoppingToken);
}
