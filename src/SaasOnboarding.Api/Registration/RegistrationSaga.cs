using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Registration;

/// <summary>This process's identity in the onboarding journal, so the reconciler leaves its live registrations alone.</summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = Guid.NewGuid().ToString("N");
}

/// <summary>The saga's steps, in order. Each is journaled before it runs.</summary>
public static class RegistrationSteps
{
    public const string Tenant = "tenant";
    public const string Database = "database";
    public const string Group = "group";
    public const string User = "user";
    public const string Membership = "membership";
    public const string Mapping = "mapping";
    public const string Activate = "activate";

    public static string TenantAdminUserName(string tenantId) => "tenant-admin-" + tenantId;
}

public sealed record NewTenant(string TenantName, string TenantEmail, string? TenantPhone, string? TenantAddress, string TenantTier);

public sealed record RegisteredTenant(string TenantId, string TenantName, string TenantAdminUserName);

/// <summary>
/// Registers a tenant: tenant record, child database, identity group and admin user, mapping, activation. A
/// failure undoes the finished steps in reverse; a crash leaves the journal for <see cref="RegistrationReconciler"/>.
/// </summary>
public sealed class RegistrationSaga(
    ITenantCatalog catalog,
    ITenantDatabases databases,
    IUserDirectory directory,
    RegistrationCompensation compensation,
    InstanceIdentity instance,
    TimeProvider time,
    ILogger<RegistrationSaga> logger)
{
    /// <summary>Null when another tenant has the name.</summary>
    public async Task<RegisteredTenant?> RegisterAsync(NewTenant request)
    {
        // Not the caller's token: a client that hangs up must not stop the saga between a step and its journal.
        var cancellationToken = CancellationToken.None;
        var tenantId = TenantIds.New();
        var adminUserName = RegistrationSteps.TenantAdminUserName(tenantId);
        var steps = new List<string>();
        var now = time.GetUtcNow();

        async Task Journal(string step)
        {
            steps.Add(step);
            await catalog.WriteJournalAsync(new OnboardingJournal(tenantId, request.TenantName, instance.Id, steps.ToArray(), time.GetUtcNow()), cancellationToken);
        }

        try
        {
            await Journal(RegistrationSteps.Tenant);
            var tenant = new Tenant(tenantId, request.TenantName, request.TenantEmail, request.TenantPhone, request.TenantAddress, request.TenantTier, TenantStatus.Provisioning, now, now);
            if (!await catalog.TryInsertTenantAsync(tenant, cancellationToken))
            {
                await catalog.DeleteJournalAsync(tenantId, cancellationToken);
                return null;
            }

            await Journal(RegistrationSteps.Database);
            await databases.CreateAsync(tenantId, cancellationToken);

            await Journal(RegistrationSteps.Group);
            await directory.CreateGroupAsync(UserPool.Tenant, tenantId, cancellationToken);

            await Journal(RegistrationSteps.User);
            await directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(adminUserName, request.TenantEmail, tenantId, Roles.TenantAdmin), cancellationToken);

            await Journal(RegistrationSteps.Membership);
            await directory.AddUserToGroupAsync(UserPool.Tenant, adminUserName, tenantId, cancellationToken);

            await Journal(RegistrationSteps.Mapping);
            await catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId, adminUserName, Enabled: true), cancellationToken);

            await Journal(RegistrationSteps.Activate);
            var activated = await catalog.SetTenantStatusAsync(tenantId, TenantStatus.Active, time.GetUtcNow(), expectedUpdatedAt: null, cancellationToken);
            if (activated.Outcome != TenantUpdateOutcome.Updated)
            {
                throw new InvalidOperationException($"Tenant {tenantId} vanished while it was being registered.");
            }

            await catalog.DeleteJournalAsync(tenantId, cancellationToken);
            logger.LogInformation("Registered tenant {TenantId} on tier {TenantTier}", tenantId, request.TenantTier);
            return new RegisteredTenant(tenantId, request.TenantName, adminUserName);
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Registration of tenant {TenantId} failed at step {Step}; undoing it", tenantId, steps.LastOrDefault());
            await compensation.UndoAsync(tenantId, steps, cancellationToken);
            throw;
        }
    }
}

/// <summary>Undoes a registration's started steps in reverse. Every undo is idempotent, so it may run again.</summary>
public sealed class RegistrationCompensation(
    ITenantCatalog catalog, ITenantDatabases databases, IUserDirectory directory, ILogger<RegistrationCompensation> logger)
{
    public async Task UndoAsync(string tenantId, IReadOnlyList<string> stepsStarted, CancellationToken cancellationToken)
    {
        var adminUserName = RegistrationSteps.TenantAdminUserName(tenantId);
        try
        {
            foreach (var step in stepsStarted.Reverse())
            {
                switch (step)
                {
                    case RegistrationSteps.Mapping:
                        await catalog.RemoveTenantUserAsync(adminUserName, cancellationToken);
                        break;
                    case RegistrationSteps.User:
                        await directory.DeleteUserAsync(UserPool.Tenant, adminUserName, cancellationToken);
                        break;
                    case RegistrationSteps.Group:
                        await directory.DeleteGroupAsync(UserPool.Tenant, tenantId, cancellationToken);
                        break;
                    case RegistrationSteps.Database:
                        await databases.DeleteAsync(tenantId, cancellationToken);
                        break;
                    case RegistrationSteps.Tenant:
                        await catalog.DeleteTenantAsync(tenantId, cancellationToken);
                        break;
                    default:
                        // Membership goes with the user; activation with the tenant record.
                        break;
                }
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
}
