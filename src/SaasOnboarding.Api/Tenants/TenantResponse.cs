namespace SaasOnboarding.Api.Tenants;

public sealed record TenantResponse(
    string Id,
    string TenantName,
    string TenantEmail,
    string? TenantPhone,
    string? TenantAddress,
    string TenantTier,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
