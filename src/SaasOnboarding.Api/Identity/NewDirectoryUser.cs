namespace SaasOnboarding.Api.Identity;

public sealed record NewDirectoryUser(string UserName, string Email, string TenantId, string UserRole);
