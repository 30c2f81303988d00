using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Who belongs to a tenant. Each tenant-pool user carries its tenant (<c>custom:tenantId</c>) and has a mapping in the
/// catalog; with <c>Identity:GroupPerTenant</c> on (<see cref="GroupPerTenant"/>) each tenant also has a group of the
/// tenant pool named by its id, which its users join, and its users are listed from the group. With it off no group is
/// created, joined, listed or deleted: a user pool holds at most 10,000 groups (a hard Cognito quota), so a
/// deployment past that many tenants runs without them, and a tenant's users are listed from its mappings, each read
/// from the directory.
/// </summary>
public sealed class TenantMembers(ITenantCatalog catalog, IUserDirectory directory, TenantMembers.Settings settings)
{
    public const string GroupPerTenantSetting = "Identity:GroupPerTenant";

    /// <summary>The page size of a full listing (<see cref="UsersOfAsync"/>); 60 is Cognito's largest.</summary>
    private const int FullListingPage = 60;

    /// <summary>The setting as read at start (<see cref="TenancySetup"/>); on unless set to false.</summary>
    public sealed record Settings(bool GroupPerTenant);

    public bool GroupPerTenant => settings.GroupPerTenant;

    /// <summary>Makes the tenant's group (nothing without groups). Throws <see cref="DirectoryError.LimitExceeded"/> at the pool's group quota.</summary>
    public Task CreateGroupAsync(string tenantId, CancellationToken cancellationToken) =>
        settings.GroupPerTenant ? directory.CreateGroupAsync(UserPool.Tenant, tenantId, cancellationToken) : Task.CompletedTask;

    /// <summary>Puts the user in its tenant's group (nothing without groups).</summary>
    public Task JoinAsync(string userName, string tenantId, CancellationToken cancellationToken) =>
        settings.GroupPerTenant ? directory.AddUserToGroupAsync(UserPool.Tenant, userName, tenantId, cancellationToken) : Task.CompletedTask;

    /// <summary>Removes the tenant's group (nothing without groups). Idempotent.</summary>
    public Task DeleteGroupAsync(string tenantId, CancellationToken cancellationToken) =>
        settings.GroupPerTenant ? directory.DeleteGroupAsync(UserPool.Tenant, tenantId, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// One page of the tenant's users: its group's members, or without groups the users its mappings name that still
    /// carry its id (a page may then hold fewer than <paramref name="limit"/>). Null when there is no such tenant.
    /// </summary>
    public async Task<Page<DirectoryUser>?> ListAsync(string tenantId, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        if (settings.GroupPerTenant)
        {
            try
            {
                return await directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, limit, nextToken, cancellationToken);
            }
            catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
            {
                return null;
            }
        }

        if (nextToken is null && await catalog.GetTenantAsync(tenantId, cancellationToken) is null)
        {
            return null;
        }

        var mappings = await catalog.ListTenantUsersAsync(tenantId, limit, nextToken, cancellationToken);
        var users = new List<DirectoryUser>(mappings.Items.Count);
        foreach (var mapping in mappings.Items)
        {
            if (await directory.GetUserAsync(UserPool.Tenant, mapping.UserName, cancellationToken) is { } user && user.TenantId == tenantId)
            {
                users.Add(user);
            }
        }

        return new Page<DirectoryUser>(users, mappings.NextToken);
    }

    /// <summary>Every user of the tenant (<see cref="ListAsync"/>), across all pages; none for a tenant that is gone.</summary>
    public async IAsyncEnumerable<DirectoryUser> UsersOfAsync(string tenantId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? nextToken = null;
        do
        {
            if (await ListAsync(tenantId, FullListingPage, nextToken, cancellationToken) is not { } page)
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
}
