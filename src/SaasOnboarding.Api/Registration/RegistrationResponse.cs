namespace SaasOnboarding.Api.Registration;

public sealed record RegistrationResponse(string TenantId, string TenantName, string TenantAdminUserName, string Message);
