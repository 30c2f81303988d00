namespace SaasOnboarding.Api.Users;

public sealed record TenantUsersResponse(string TenantId, bool Enabled, IReadOnlyList<string> UserNames);
