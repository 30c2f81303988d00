namespace SaasOnboarding.Api.Users;

public sealed record UserResponse(string UserName, string Email, string? UserRole, string? TenantId, bool Enabled, string Status, DateTimeOffset CreatedAt);
