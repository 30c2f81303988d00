namespace SaasOnboarding.Api.Tenants;

/// <summary>Absent fields stay as they are.</summary>
public sealed record UpdateTenantRequest(string? TenantName, string? TenantEmail, string? TenantPhone, string? TenantAddress, string? TenantTier);
