namespace SaasOnboarding.Api.Storage;

public sealed record Tenant(
    string Id,
    string TenantName,
    string TenantEmail,
    string? TenantPhone,
    string? TenantAddress,
    string TenantTier,
    TenantStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    TenantOffboarding? Offboarding = null)
{
    public bool IsActive => TenantStates.Serves(Status);
}
