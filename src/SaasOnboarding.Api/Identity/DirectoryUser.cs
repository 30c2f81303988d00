namespace SaasOnboarding.Api.Identity;

public sealed record DirectoryUser(
    string UserName,
    string Email,
    string? TenantId,
    string? UserRole,
    bool Enabled,
    UserStatus Status,
    DateTimeOffset CreatedAt);
