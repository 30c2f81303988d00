using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Changes to a tenant record, each evicting the tenant's cached state (<see cref="TenantAccess"/>) where it is made.
/// Deactivation and activation, and the start and cancel of offboarding. Deactivating (and starting offboarding)
/// writes the status first (the tenant's live tokens are refused from that moment), then disables its users in the
/// identity provider so that none can sign in; activating (and cancelling the offboarding of a tenant that was
/// active) re-enables them. Each is idempotent: a call that failed half-way is finished by calling it again. Each
/// write carries its audit entry and lifecycle event (<see cref="ChangeRecords"/>).
/// </summary>
public sealed class TenantLifecycle(
    ITenantCatalog catalog,
    IUserDirectory directory,
    TenantMembers members,
    TenantAccess access,
    IOptions<OffboardingOptions> offboardingOptions,
    ChangeRecords records,
    TimeProvider time,
    ILogger<TenantLifecycle> logger)
{
    /// <summary>
    /// With <paramref name="expectedUpdatedAt"/> the tenant is deactivated only if it is still at that version;
    /// answers the tenant as it is afterwards.
    /// </summary>
    public async Task<TenantUpdateResult> DeactivateAsync(string tenantId, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var written = await SetStatusAsync(tenantId, TenantStatus.Inactive, LifecycleEvents.TenantDeactivated, expectedUpdatedAt, cancellationToken);
        if (written.Outcome != TenantUpdateOutcome.Updated)
        {
            return written;
        }

        var users = await DisableUsersAsync(tenantId, cancellationToken);
        logger.LogInformation("Deactivated tenant {TenantId} and disabled {UserCount} users", tenantId, users);
        return await AfterwardsAsync(written, cancellationToken);
    }

    /// <summary>
    /// Starts offboarding an active or inactive tenant on behalf of <paramref name="startedBy"/> (its role
    /// <paramref name="startedByRole"/>): it is deactivated as <see cref="DeactivateAsync"/> does and due for purge
    /// after <see cref="OffboardingOptions.Retention"/>. Another status answers
    /// <see cref="TenantUpdateOutcome.NotAllowed"/>. The write happens only while the tenant is still at the version
    /// read (<paramref name="expectedUpdatedAt"/>, or the one this call reads), so that the status kept for
    /// cancelling is the one it replaced.
    /// </summary>
    public async Task<TenantUpdateResult> StartOffboardingAsync(
        string tenantId, string startedBy, string startedByRole, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        if (tenant is null || !TenantStates.IsManaged(tenant.Status))
        {
            return TenantUpdateResult.NotFound;
        }

        if (!TenantStates.CanMove(tenant.Status, TenantStatus.Offboarding))
        {
            return TenantUpdateResult.NotAllowed;
        }

        var now = time.GetUtcNow();
        var offboarding = new TenantOffboarding(
            now, TenantStates.PurgeAfter(now, offboardingOptions.Value.Retention), startedBy, startedByRole, tenant.Status);
        var record = records.Of(
            tenantId,
            tenantId,
            "offboarding",
            LifecycleEvents.Tenant(
                LifecycleEvents.TenantOffboardingStarted,
                now,
                new TenantEventData(tenantId, tenant.TenantName, tenant.TenantTier, nameof(TenantStatus.Offboarding), offboarding.PurgeAfter)));
        var written = await catalog.SetOffboardingAsync(
            tenantId, TenantStatus.Offboarding, offboarding, StoredTime.Next(tenant.UpdatedAt, now), expectedUpdatedAt ?? tenant.UpdatedAt, record, cancellationToken);
        await access.ForgetTenantAsync(tenantId, cancellationToken);
        if (written.Outcome != TenantUpdateOutcome.Updated)
        {
            return written;
        }

        var users = await DisableUsersAsync(tenantId, cancellationToken);
        logger.LogInformation(
            "Started offboarding tenant {TenantId} (purge after {PurgeAfter:O}) and disabled {UserCount} users", tenantId, offboarding.PurgeAfter, users);
        return await AfterwardsAsync(written, cancellationToken);
    }

    /// <summary>
    /// Cancels an offboarding: the tenant gets back the status it had before (<see cref="TenantStates.CancelledTo"/>)
    /// and, when that is active, its users are re-enabled as <see cref="ActivateAsync"/> does. A tenant that is not
    /// offboarding answers <see cref="TenantUpdateOutcome.NotAllowed"/>. The version check is as for
    /// <see cref="StartOffboardingAsync"/>, so a purge that claimed the tenant meanwhile wins.
    /// </summary>
    public async Task<TenantUpdateResult> CancelOffboardingAsync(string tenantId, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        if (tenant is null || !TenantStates.IsManaged(tenant.Status))
        {
            return TenantUpdateResult.NotFound;
        }

        if (tenant.Offboarding is not { } offboarding || TenantStates.CancelledTo(tenant.Status, offboarding.StatusBefore) is not { } restored)
        {
            return TenantUpdateResult.NotAllowed;
        }

        var now = time.GetUtcNow();
        var record = records.Of(
            tenantId,
            tenantId,
            "offboarding cancel",
            LifecycleEvents.Tenant(
                LifecycleEvents.TenantOffboardingCancelled, now, new TenantEventData(tenantId, tenant.TenantName, tenant.TenantTier, restored.ToString())));
        var written = await catalog.SetOffboardingAsync(
            tenantId, restored, null, StoredTime.Next(tenant.UpdatedAt, now), expectedUpdatedAt ?? tenant.UpdatedAt, record, cancellationToken);
        await access.ForgetTenantAsync(tenantId, cancellationToken);
        if (written.Outcome != TenantUpdateOutcome.Updated)
        {
            return written;
        }

        var users = TenantStates.Serves(restored) ? await EnableUsersAsync(tenantId, cancellationToken) : 0;
        logger.LogInformation("Cancelled the offboarding of tenant {TenantId}: back to {Status}, {UserCount} users enabled", tenantId, restored, users);
        return await AfterwardsAsync(written, cancellationToken);
    }

    /// <summary>
    /// Re-enables the users that were not disabled on their own (their mapping is still enabled). The version check
    /// is as for <see cref="DeactivateAsync"/>.
    /// </summary>
    public async Task<TenantUpdateResult> ActivateAsync(string tenantId, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var written = await SetStatusAsync(tenantId, TenantStatus.Active, LifecycleEvents.TenantActivated, expectedUpdatedAt, cancellationToken);
        if (written.Outcome != TenantUpdateOutcome.Updated)
        {
            return written;
        }

        var users = await EnableUsersAsync(tenantId, cancellationToken);
        logger.LogInformation("Activated tenant {TenantId} and enabled {UserCount} users", tenantId, users);
        return await AfterwardsAsync(written, cancellationToken);
    }

    /// <summary>
    /// Writes the descriptive fields of <paramref name="changes"/> to <paramref name="tenant"/> as
    /// <c>ITenantCatalog.UpdateTenantAsync</c> does, stamped after its current version.
    /// </summary>
    public async Task<TenantUpdateResult> UpdateAsync(
        Tenant tenant, TenantChanges changes, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var events = new List<LifecycleEvent>(2);
        List<string> described = [];
        if (changes.TenantName is not null)
        {
            described.Add("tenantName");
        }

        if (changes.TenantEmail is not null)
        {
            described.Add("tenantEmail");
        }

        if (changes.TenantPhone is not null)
        {
            described.Add("tenantPhone");
        }

        if (changes.TenantAddress is not null)
        {
            described.Add("tenantAddress");
        }

        if (described.Count > 0)
        {
            events.Add(LifecycleEvents.Tenant(
                LifecycleEvents.TenantUpdated, now, new TenantEventData(tenant.Id, changes.TenantName ?? tenant.TenantName, Changed: described)));
        }

        if (changes.TenantTier is { } tier && tier != tenant.TenantTier)
        {
            events.Add(LifecycleEvents.Tenant(
                LifecycleEvents.TenantTierChanged, now, new TenantEventData(tenant.Id, changes.TenantName ?? tenant.TenantName, tier)));
        }

        var result = await catalog.UpdateTenantAsync(
            tenant.Id, changes, StoredTime.Next(tenant.UpdatedAt, now), expectedUpdatedAt, records.Of(tenant.Id, tenant.Id, "update", [.. events]), cancellationToken);
        await access.ForgetTenantAsync(tenant.Id, cancellationToken);
        return result;
    }

    /// <summary>Disables every user of the tenant (<see cref="TenantMembers"/>); answers how many.</summary>
    private async Task<int> DisableUsersAsync(string tenantId, CancellationToken cancellationToken)
    {
        // A purge may claim the tenant as soon as it is offboarding (a retention of zero makes it due at once) and
        // remove its users and group meanwhile: what it removed is disabled enough.
        var users = 0;
        try
        {
            await foreach (var user in members.UsersOfAsync(tenantId, cancellationToken))
            {
                try
                {
                    await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, false, cancellationToken);
                    users++;
                }
                catch (DirectoryException e) when (e.Error == DirectoryError.UserNotFound)
                {
                    // Removed by the purge.
                }
            }
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
        {
            // Removed by the purge.
        }

        return users;
    }

    /// <summary>Re-enables the users of the tenant that were not disabled on their own; answers how many.</summary>
    private async Task<int> EnableUsersAsync(string tenantId, CancellationToken cancellationToken)
    {
        var users = 0;
        await foreach (var user in members.UsersOfAsync(tenantId, cancellationToken))
        {
            var mapping = await catalog.GetTenantUserAsync(user.UserName, cancellationToken);
            if (TenantUserRules.ReenabledOnActivation(tenantId, mapping is null ? null : (mapping.TenantId, mapping.Enabled)))
            {
                await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, true, cancellationToken);
                users++;
            }
        }

        return users;
    }

    private async Task<TenantUpdateResult> SetStatusAsync(
        string tenantId, TenantStatus status, string eventType, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        if (tenant is null || !TenantStates.IsManaged(tenant.Status))
        {
            return TenantUpdateResult.NotFound;
        }

        if (!TenantStates.CanMove(tenant.Status, status))
        {
            return TenantUpdateResult.NotAllowed;
        }

        var now = time.GetUtcNow();
        var record = records.Of(
            tenantId, tenantId, status.ToString(), LifecycleEvents.Tenant(eventType, now, new TenantEventData(tenantId, tenant.TenantName, tenant.TenantTier, status.ToString())));
        var written = await catalog.SetTenantStatusAsync(tenantId, status, StoredTime.Next(tenant.UpdatedAt, now), expectedUpdatedAt, record, cancellationToken);
        await access.ForgetTenantAsync(tenantId, cancellationToken);
        return written;
    }

    /// <summary>The tenant as a read now answers it (its version included), or as the write left it.</summary>
    private async Task<TenantUpdateResult> AfterwardsAsync(TenantUpdateResult written, CancellationToken cancellationToken) =>
        await catalog.GetTenantAsync(written.Tenant!.Id, cancellationToken) is { } current
            ? new TenantUpdateResult(TenantUpdateOutcome.Updated, current)
            : written;
}
