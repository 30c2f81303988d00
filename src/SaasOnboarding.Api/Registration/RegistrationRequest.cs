namespace SaasOnboarding.Api.Registration;

public sealed record RegistrationRequest(string? TenantName, string? TenantEmail, string? TenantAddress, string? TenantPhone, string? TenantTier);
