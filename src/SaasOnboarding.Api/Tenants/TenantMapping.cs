using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenants;

public static class TenantMapping
{
    public static TenantResponse ToResponse(this Tenant tenant) => new(
        tenant.Id,
        tenant.TenantName,
        tenant.TenantEmail,
        tenant.TenantPhone,
        tenant.TenantAddress,
        tenant.TenantTier,
        tenant.IsActive,
        tenant.CreatedAt,
        tenant.UpdatedAt,
        tenant.Status.ToString(),
        tenant.Offboarding?.StartedAt,
        tenant.Offboarding?.PurgeAfter,
        tenant.Offboarding?.StartedBy,
        tenant.Offboarding?.StartedByRole);
}
