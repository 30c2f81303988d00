using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Testing;

/// <summary>Removing a tenant completely, so that an export of it can be imported again.</summary>
public static class TenantRemoval
{
    /// <summary>
    /// Removes the tenant as the purge will (its users and group, its child database, its record and mappings)
    /// through the app's own services. It stands for the offboarding purge, built on another branch: at merge the
    /// purge API replaces it.
    /// </summary>
    public static async Task RemoveTenantForReimportAsync(this AppFactory app, string tenantId)
    {
        var directory = app.Services.GetRequiredService<IUserDirectory>();
        var userNames = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 60, nextToken, default);
            userNames.AddRange(page.Items.Select(user => user.UserName));
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        foreach (var userName in userNames)
        {
            await directory.DeleteUserAsync(UserPool.Tenant, userName, default);
        }

        await directory.DeleteGroupAsync(UserPool.Tenant, tenantId, default);
        await app.Services.GetRequiredService<ITenantDatabases>().DeleteAsync(tenantId, default);
        await app.Services.GetRequiredService<ITenantCatalog>().DeleteTenantAsync(tenantId, default);
        app.Services.GetRequiredService<TenantAccess>().ForgetTenant(tenantId);
    }
}
