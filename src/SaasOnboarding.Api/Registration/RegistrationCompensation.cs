using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Registration;

/// <summary>
/// Runs the undo actions <see cref="RegistrationUndoPlan"/> names for a registration's started steps, through the
/// ports, each in a span of its own, then drops the journal. Every action is idempotent, so it may run again.
/// </summary>
public sealed class RegistrationCompensation(
    ITenantCatalog catalog, ITenantDatabases databases, IUserDirectory directory, ILogger<RegistrationCompensation> logger)
{
    /// <summary>The name of the undo actions in their spans and in the step counter (docs/observability.md).</summary>
    public const string Saga = "registration.undo";

    public async Task UndoAsync(string tenantId, IReadOnlyList<string> stepsStarted, CancellationToken cancellationToken)
    {
        var adminUserName = RegistrationSteps.TenantAdminUserName(tenantId);
        try
        {
            foreach (var undo in RegistrationUndoPlan.For(stepsStarted))
            {
                await Telemetry.StepAsync(Saga, undo.ToString(), tenantId, tier: null, () => undo switch
                {
                    RegistrationUndo.RemoveMapping => catalog.RemoveTenantUserAsync(adminUserName, cancellationToken),
                    RegistrationUndo.DeleteTenantUsers => DeleteTenantUsersAsync(tenantId, cancellationToken),
                    RegistrationUndo.DeleteUser => directory.DeleteUserAsync(UserPool.Tenant, adminUserName, cancellationToken),
                    RegistrationUndo.DeleteGroup => directory.DeleteGroupAsync(UserPool.Tenant, tenantId, cancellationToken),
                    RegistrationUndo.DeleteDatabase => databases.DeleteAsync(tenantId, cancellationToken),
                    RegistrationUndo.DeleteTenant => catalog.DeleteTenantAsync(tenantId, cancellationToken),
                    // Stryker disable once String : never thrown, every undo has an action; the message is for a developer adding one.
                    _ => throw new InvalidOperationException($"No port action for {undo}."),
                });
            }

            await catalog.DeleteJournalAsync(tenantId, cancellationToken);
            logger.LogInformation("Undid the registration of tenant {TenantId}", tenantId);
        }
        catch (Exception e)
        {
            // The journal stays; the reconciler tries again.
            logger.LogError(e, "Could not undo the registration of tenant {TenantId}; the reconciler will retry", tenantId);
            throw;
        }
    }

    /// <summary>
    /// Deletes every tenant-pool user that the tenant's mappings name and that names the tenant itself
    /// (<c>custom:tenantId</c>): an import writes each user's mapping before the user, so one that a crash left is
    /// found, while a name another tenant holds (which the import was refused) is left alone. The names are read first,
    /// then deleted, so that the listing's pages do not move under it.
    /// </summary>
    private async Task DeleteTenantUsersAsync(string tenantId, CancellationToken cancellationToken)
    {
        var userNames = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await catalog.ListTenantUsersAsync(tenantId, 100, nextToken, cancellationToken);
            userNames.AddRange(page.Items.Select(mapping => mapping.UserName));
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        foreach (var userName in userNames)
        {
            if (await directory.GetUserAsync(UserPool.Tenant, userName, cancellationToken) is { } user && user.TenantId == tenantId)
            {
                await directory.DeleteUserAsync(UserPool.Tenant, userName, cancellationToken);
            }
        }
    }
}
