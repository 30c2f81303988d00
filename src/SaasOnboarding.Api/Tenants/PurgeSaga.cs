using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Purges an offboarding tenant whose retention has passed. The purge only goes forward: its claim (the conditional
/// move to <see cref="TenantStatus.Purging"/>, which one caller wins) is its journal, and every step after it is
/// idempotent, so a purge a crash stopped is finished by running it again from the start (<see cref="PurgeService"/>
/// does at the next start). The steps, each in a span of its own: the child database (SQLite file, PostgreSQL schema
/// and role, Fauna child database with the keys scoped to it); every user of the tenant (<see cref="TenantMembers"/>)
/// and every user its mappings name, in the identity provider; the group, with groups; then the tombstone, which drops the mappings and frees the
/// name in one write, with the purge's audit entry (actor <c>system</c>) and its "purged" event.
/// </summary>
public sealed class PurgeSaga(
    ITenantCatalog catalog,
    ITenantDatabases databases,
    IUserDirectory directory,
    TenantMembers members,
    TenantAccess access,
    ChangeRecords records,
    TimeProvider time,
    ILogger<PurgeSaga> logger)
{
    /// <summary>The saga's name in its spans and in the step counter (docs/observability.md).</summary>
    public const string Saga = "purge";

    /// <summary>
    /// Claims <paramref name="tenant"/> (as read) for purging: true when it is already purging, or when it is due
    /// (<see cref="TenantStates.IsDueForPurge"/>) and this call moved it to purging while it was still at the version
    /// read; false when it is not due, or another caller (a cancel, another instance) changed it first.
    /// </summary>
    public async Task<bool> ClaimAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!TenantStates.IsDueForPurge(tenant.Status, tenant.Offboarding?.PurgeAfter, now))
        {
            return false;
        }

        if (tenant.Status == TenantStatus.Purging)
        {
            return true;
        }

        var claimed = await catalog.SetTenantStatusAsync(
            tenant.Id, TenantStatus.Purging, StoredTime.Next(tenant.UpdatedAt, now), tenant.UpdatedAt, cancellationToken);
        await access.ForgetTenantAsync(tenant.Id, cancellationToken);
        return claimed.Outcome == TenantUpdateOutcome.Updated;
    }

    /// <summary>Runs every step of the purge of a claimed tenant (<see cref="ClaimAsync"/>). Idempotent.</summary>
    public async Task PurgeAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var tenantId = tenant.Id;
        Task Step(string step, Func<Task> run) => Telemetry.StepAsync(Saga, step, tenantId, tenant.TenantTier, run);

        await Step("database", () => databases.DeleteAsync(tenantId, cancellationToken));
        var users = 0;
        await Step("users", async () =>
        {
            // The tenant's users (its group's members, with groups), and whoever a mapping still names.
            var names = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var user in members.UsersOfAsync(tenantId, cancellationToken))
            {
                names.Add(user.UserName);
            }

            names.UnionWith(await catalog.SetTenantUsersEnabledAsync(tenantId, false, cancellationToken));
            foreach (var name in names)
            {
                await directory.DeleteUserAsync(UserPool.Tenant, name, cancellationToken);
            }

            await access.ForgetUsersAsync(tenantId, names, cancellationToken);

            users = names.Count;
        });
        if (members.GroupPerTenant)
        {
            await Step("group", () => members.DeleteGroupAsync(tenantId, cancellationToken));
        }

        await Step("tombstone", () =>
        {
            var now = time.GetUtcNow();
            var record = records.Of(
                tenantId,
                tenantId,
                "purge",
                LifecycleEvents.Tenant(LifecycleEvents.TenantPurged, now, new TenantEventData(tenantId, tenant.TenantName, tenant.TenantTier, nameof(TenantStatus.Purged))));
            return catalog.WriteTombstoneAsync(tenantId, StoredTime.Next(tenant.UpdatedAt, now), record, cancellationToken);
        });
        await access.ForgetTenantAsync(tenantId, cancellationToken);
        logger.LogInformation("Purged tenant {TenantId}: child database and {UserCount} users removed; the record is a tombstone", tenantId, users);
    }
}
