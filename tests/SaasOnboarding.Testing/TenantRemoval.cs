using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Testing;

/// <summary>Purging a tenant now, so that an export of it can be imported again.</summary>
public static class TenantRemoval
{
    /// <summary>
    /// Offboards the tenant (unless it is offboarding already) and purges it with the app's own <see cref="PurgeSaga"/> (its child database, users,
    /// group and mappings removed, the record a tombstone, the name free again). The retention's wait is skipped:
    /// the tenant is moved to purging as the purge service's claim does once it is due; the wait itself is tested in
    /// OffboardingTests.
    /// </summary>
    public static async Task PurgeNowAsync(this AppFactory app, string tenantId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var lifecycle = scope.ServiceProvider.GetRequiredService<TenantLifecycle>();
        var catalog = scope.ServiceProvider.GetRequiredService<ITenantCatalog>();
        var tenant = await catalog.GetTenantAsync(tenantId, default);
        if (tenant?.Status != TenantStatus.Offboarding)
        {
            var started = await lifecycle.StartOffboardingAsync(tenantId, "test-purge", "SystemAdmin", null, default);
            Assert.Equal(TenantUpdateOutcome.Updated, started.Outcome);
            tenant = started.Tenant;
        }

        var claimed = await catalog.SetTenantStatusAsync(
            tenantId, TenantStatus.Purging, StoredTime.Next(tenant!.UpdatedAt, DateTimeOffset.UtcNow), tenant.UpdatedAt, default);
        Assert.Equal(TenantUpdateOutcome.Updated, claimed.Outcome);
        await scope.ServiceProvider.GetRequiredService<PurgeSaga>().PurgeAsync(claimed.Tenant!, default);
        Assert.Equal(TenantStatus.Purged, (await catalog.GetTenantAsync(tenantId, default))?.Status);
    }
}
