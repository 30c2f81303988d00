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
    DateTimeOffset UpdatedAt)
{
    public bool IsActive => TenantStates.Serves(Status);
}
