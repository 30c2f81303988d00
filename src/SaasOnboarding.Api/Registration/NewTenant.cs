namespace SaasOnboarding.Api.Registration;

public sealed record NewTenant(string TenantName, string TenantEmail, string? TenantPhone, string? TenantAddress, string TenantTier);
