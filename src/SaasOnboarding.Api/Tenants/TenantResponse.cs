namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// A tenant as the API answers it. <c>Status</c> is the lifecycle state (<c>Active</c>, <c>Inactive</c>,
/// <c>Offboarding</c>, <c>Purging</c>, <c>Purged</c>); the offboarding fields are null until offboarding starts.
/// </summary>
public sealed record TenantResponse(
    string Id,
    string TenantName,
    string TenantEmail,
    string? TenantPhone,
    string? TenantAddress,
    string TenantTier,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Status,
    DateTimeOffset? OffboardingStartedAt,
    DateTimeOffset? PurgeAfter,
    string? OffboardedBy,
    string? OffboardedByRole);
