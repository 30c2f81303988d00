namespace SaasOnboarding.Api.Registration;

public sealed record RegisteredTenant(string TenantId, string TenantName, string TenantAdminUserName);
