namespace SaasOnboarding.Api.Users;

public sealed record UpdateUserRequest(string? UserEmail, string? UserRole);
