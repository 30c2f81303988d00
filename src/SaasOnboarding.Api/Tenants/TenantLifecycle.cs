using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Changes to a tenant record, each evicting the tenant's cached state (<see cref="TenantAccess"/>) where it is made.
/// Deactivation and activation. Deactivating marks the tenant inactive first (its live tokens are refused from that
/// moment), then disables its users in the identity provider so that none can sign in. Both are idempotent: a
/// call that failed half-way is finished by calling it again.
/// </summary>
public sealed class TenantLifecycle(
    ITenantCatalog catalog, IUserDirectory directory, TenantAccess access, TimeProvider time, ILogger<TenantLifecycle> logger)
{
    /// <summary>
    /// With <paramref name="expectedUpdatedAt"/> the tenant is deactivated only if it is still at that version;
    /// answers the tenant as it is afterwards.
    /// </summary>
    public async Task<TenantUpdateResult> DeactivateAsync(string tenantId, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var written = await SetStatusAsync(tenantId, TenantStatus.Inactive, expectedUpdatedAt, cancellationToken);
        if (written.Outcome != TenantUpdateOutcome.Updated)
        {
            return written;
        }

        var users = 0;
        await foreach (var user in UsersOfAsync(tenantId, cancellationToken))
        {
            await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, false, cancellationToken);
            users++;
        }

        logger.LogInformation("Deactivated tenant {TenantId} and disabled {UserCount} users", tenantId, users);
        return await AfterwardsAsync(written, cancellationToken);
    }

    /// <summary>
    /// Re-enables the users that were not disabled on their own (their mapping is still enabled). The version check
    /// is as for <see cref="DeactivateAsync"/>.
    /// </summary>
    public async Task<TenantUpdateResult> ActivateAsync(string tenantId, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var written = await SetStatusAsync(tenantId, TenantStatus.Active, expectedUpdatedAt, cancellationToken);
        if (written.Outcome != TenantUpdateOutcome.Updated)
        {
            return written;
        }

        var users = 0;
        await foreach (var user in UsersOfAsync(tenantId, cancellationToken))
        {
            var mapping = await catalog.GetTenantUserAsync(user.UserName, cancellationToken);
            if (TenantUserRules.ReenabledOnActivation(tenantId, mapping is null ? null : (mapping.TenantId, mapping.Enabled)))
            {
                await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, true, cancellationToken);
                users++;
            }
        }

        logger.LogInformation("Activated tenant {TenantId} and enabled {UserCount} users", tenantId, users);
        return await AfterwardsAsync(written, cancellationToken);
    }

    /// <summary>
    /// Writes the descriptive fields of <paramref name="changes"/> to <paramref name="tenant"/> as
    /// <see cref="ITenantCatalog.UpdateTenantAsync"/> does, stamped after its current version.
    /// </summary>
    public async Task<TenantUpdateResult> UpdateAsync(
        Tenant tenant, TenantChanges changes, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var result = await catalog.UpdateTenantAsync(
            tenant.Id, changes, StoredTime.Next(tenant.UpdatedAt, time.GetUtcNow()), expectedUpdatedAt, cancellationToken);
        access.ForgetTenant(tenant.Id);
        return result;
    }

    /// <summary>Every user of the tenant's group, across all pages.</summary>
    public async IAsyncEnumerable<DirectoryUser> UsersOfAsync(string tenantId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? nextToken = null;
        do
        {
            Page<DirectoryUser> page;
            try
            {
                page = await directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 60, nextToken, cancellationToken);
            }
            catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
            {
                yield break;
            }

            foreach (var user in page.Items)
            {
                yield return user;
            }

            nextToken = page.NextToken;
        }
        while (nextToken is not null);
    }

    private async Task<TenantUpdateResult> SetStatusAsync(
        string tenantId, TenantStatus status, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        if (tenant is null || !TenantStates.IsManaged(tenant.Status) || !TenantStates.CanMove(tenant.Status, status))
        {
            return TenantUpdateResult.NotFound;
        }

        var written = await catalog.SetTenantStatusAsync(
            tenantId, status, StoredTime.Next(tenant.UpdatedAt, time.GetUtcNow()), expectedUpdatedAt, cancellationToken);
        access.ForgetTenant(tenantId);
        return written;
    }

    /// <summary>The tenant as a read now answers it (its version included), or as the write left it.</summary>
    private async Task<TenantUpdateResult> AfterwardsAsync(TenantUpdateResult written, CancellationToken cancellationToken) =>
        await catalog.GetTenantAsync(written.Tenant!.Id, cancellationToken) is { } current
            ? new TenantUpdateResult(TenantUpdateOutcome.Updated, current)
            : written;
}
