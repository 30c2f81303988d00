using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Deactivation and activation. Deactivating marks the tenant inactive first (its live tokens are refused from that
/// moment), then disables its users in the identity provider so that none can sign in. Both are idempotent: a
/// call that failed half-way is finished by calling it again.
/// </summary>
public sealed class TenantLifecycle(
    ITenantCatalog catalog, IUserDirectory directory, TenantAccess access, TimeProvider time, ILogger<TenantLifecycle> logger)
{
    public async Task<Tenant?> DeactivateAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!await SetStatusAsync(tenantId, TenantStatus.Inactive, cancellationToken))
        {
            return null;
        }

        var users = 0;
        await foreach (var user in UsersOfAsync(tenantId, cancellationToken))
        {
            await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, false, cancellationToken);
            users++;
        }

        logger.LogInformation("Deactivated tenant {TenantId} and disabled {UserCount} users", tenantId, users);
        return await catalog.GetTenantAsync(tenantId, cancellationToken);
    }

    /// <summary>Re-enables the users that were not disabled on their own (their mapping is still enabled).</summary>
    public async Task<Tenant?> ActivateAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!await SetStatusAsync(tenantId, TenantStatus.Active, cancellationToken))
        {
            return null;
        }

        var users = 0;
        await foreach (var user in UsersOfAsync(tenantId, cancellationToken))
        {
            var mapping = await catalog.GetTenantUserAsync(user.UserName, cancellationToken);
            if (mapping is { Enabled: true } && mapping.TenantId == tenantId)
            {
                await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, true, cancellationToken);
                users++;
            }
        }

        logger.LogInformation("Activated tenant {TenantId} and enabled {UserCount} users", tenantId, users);
        return await catalog.GetTenantAsync(tenantId, cancellationToken);
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

    private async Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        if (tenant is null or { Status: TenantStatus.Provisioning })
        {
            return false;
        }

        await catalog.SetTenantStatusAsync(tenantId, status, time.GetUtcNow(), cancellationToken);
        access.ForgetTenant(tenantId);
        return true;
    }
}
