using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Registration;

/// <summary>
/// Registers a tenant by running <see cref="RegistrationSteps"/> in their order through the ports: tenant record,
/// child database, identity group (with a group per tenant, <see cref="TenantMembers"/>) and admin user, membership
/// (likewise), mapping, activation. A failure undoes the started
/// steps (<see cref="RegistrationCompensation"/>); a crash leaves the journal for <see cref="RegistrationReconciler"/>.
/// The activation carries the registration's audit entry and its "registered" event, so a registration that is
/// undone has emitted nothing.
/// </summary>
public sealed class RegistrationSaga(
    ITenantCatalog catalog,
    ITenantDatabases databases,
    IUserDirectory directory,
    TenantMembers members,
    RegistrationCompensation compensation,
    ChangeRecords records,
    InstanceIdentity instance,
    TimeProvider time,
    ILogger<RegistrationSaga> logger)
{
    /// <summary>The saga's name in its spans and in the step counter (docs/observability.md).</summary>
    public const string Saga = "registration";

    /// <summary>Null when another tenant has the name.</summary>
    public Task<RegisteredTenant?> RegisterAsync(NewTenant request) => RunAsync(request, import: null);

    /// <summary>
    /// Registers a tenant from an export bundle: the registration's steps with the import's data written into the new
    /// child database (<see cref="RegistrationSteps.Data"/>) and its other users made
    /// (<see cref="RegistrationSteps.Users"/>), undone as a registration is. Null when another tenant has the name.
    /// </summary>
    public Task<RegisteredTenant?> ImportAsync(NewTenant request, TenantImport import) => RunAsync(request, import);

    private async Task<RegisteredTenant?> RunAsync(NewTenant request, TenantImport? import)
    {
        // Not the caller's token: a client that hangs up must not stop the saga between a step and its journal.
        var cancellationToken = CancellationToken.None;
        var tenantId = TenantIds.New();
        var adminUserName = RegistrationSteps.TenantAdminUserName(tenantId);
        IReadOnlyList<string> steps = [];
        var now = time.GetUtcNow();
        var order = RegistrationSteps.Order(import is not null, members.GroupPerTenant);

        // Each step, in a span of its own (Telemetry.StepAsync), is journalled before it runs.
        Task Step(string step, Func<Task> run) => Telemetry.StepAsync(Saga, step, tenantId, request.TenantTier, async () =>
        {
            steps = RegistrationSteps.Start(steps, step, order);
            await catalog.WriteJournalAsync(new OnboardingJournal(tenantId, request.TenantName, instance.Id, steps, time.GetUtcNow()), cancellationToken);
            await run();
        });

        try
        {
            // Stryker disable once Boolean : the tenant step sets it before it is read.
            var nameTaken = false;
            await Step(RegistrationSteps.Tenant, async () =>
            {
                var tenant = new Tenant(tenantId, request.TenantName, request.TenantEmail, request.TenantPhone, request.TenantAddress, request.TenantTier, TenantStatus.Provisioning, now, now);
                nameTaken = !await catalog.TryInsertTenantAsync(tenant, cancellationToken);
            });
            if (nameTaken)
            {
                await catalog.DeleteJournalAsync(tenantId, cancellationToken);
                return null;
            }

            await Step(RegistrationSteps.Database, () => databases.CreateAsync(tenantId, cancellationToken));
            if (import is not null)
            {
                await Step(RegistrationSteps.Data, () => import.WriteDataAsync(databases.Open(tenantId), cancellationToken));
            }

            if (members.GroupPerTenant)
            {
                await Step(RegistrationSteps.Group, () => members.CreateGroupAsync(tenantId, cancellationToken));
            }

            var adminEmail = import?.AdminEmail ?? request.TenantEmail;
            await Step(RegistrationSteps.User, () => directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(adminUserName, adminEmail, tenantId, Roles.TenantAdmin), cancellationToken));
            if (members.GroupPerTenant)
            {
                await Step(RegistrationSteps.Membership, () => members.JoinAsync(adminUserName, tenantId, cancellationToken));
            }

            await Step(RegistrationSteps.Mapping, () => catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId, adminUserName, Enabled: true), cancellationToken));
            if (import is not null)
            {
                await Step(RegistrationSteps.Users, () => CreateUsersAsync(tenantId, import.Users, cancellationToken));
            }

            await Step(RegistrationSteps.Activate, async () =>
            {
                var activatedAt = time.GetUtcNow();
                // Stryker disable once Conditional,Equality,String : a registration and an import activate inside their request, whose route names the entry's action; this name is for a record made outside a request.
                var record = records.Of(
                    tenantId,
                    tenantId,
                    import is null ? "register" : "import",
                    LifecycleEvents.Tenant(
                        LifecycleEvents.TenantRegistered,
                        activatedAt,
                        new TenantEventData(tenantId, request.TenantName, request.TenantTier, nameof(TenantStatus.Active))));
                var activated = await catalog.SetTenantStatusAsync(tenantId, TenantStatus.Active, activatedAt, expectedUpdatedAt: null, record, cancellationToken);
                if (activated.Outcome != TenantUpdateOutcome.Updated)
                {
                    throw new InvalidOperationException($"Tenant {tenantId} vanished while it was being registered.");
                }
            });

            await catalog.DeleteJournalAsync(tenantId, cancellationToken);
            logger.LogInformation("Registered tenant {TenantId} on tier {TenantTier} ({Source})", tenantId, request.TenantTier, import is null ? "sign-up" : "import");
            return new RegisteredTenant(tenantId, request.TenantName, adminUserName);
        }
        catch (Exception failure)
        {
            // Stryker disable once Conditional,Equality : a step is added to the steps before anything of it can fail, so they are never empty here.
            logger.LogWarning(failure, "Registration of tenant {TenantId} failed at step {Step}; undoing it", tenantId, steps.Count > 0 ? steps[^1] : null);
            await compensation.UndoAsync(tenantId, steps, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// Each user's mapping, then the user with a temporary password the provider emails, in the tenant's group (with
    /// groups); one the bundle had disabled is disabled again, as <see cref="Users.TenantUsers"/> disables one. The
    /// mapping comes first so that the undo finds, from the catalog, every user a crash may have left
    /// (<see cref="RegistrationCompensation"/>); a name another tenant's mapping holds is refused before anything is
    /// written, as the directory refuses it.
    /// </summary>
    private async Task CreateUsersAsync(string tenantId, IReadOnlyList<ImportedUser> users, CancellationToken cancellationToken)
    {
        foreach (var user in users)
        {
            if (await catalog.GetTenantUserAsync(user.UserName, cancellationToken) is { } mapping && mapping.TenantId != tenantId)
            {
                throw new DirectoryException(DirectoryError.UserExists, $"User {user.UserName} belongs to another tenant.");
            }

            await catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId, user.UserName, user.Enabled), cancellationToken);
            await directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(user.UserName, user.Email, tenantId, user.UserRole), cancellationToken);
            await members.JoinAsync(user.UserName, tenantId, cancellationToken);
            if (!user.Enabled)
            {
                await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, false, cancellationToken);
            }
        }
    }
}
