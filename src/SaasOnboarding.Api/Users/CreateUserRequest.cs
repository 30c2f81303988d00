namespace SaasOnboarding.Api.Users;

/// <summary>A new tenant user; its temporary password is emailed to it.</summary>
/// <param name="UserName">Letters, digits and . _ - @ +; unique in the tenant pool.</param>
/// <param name="UserEmail">Where the temporary password is sent.</param>
/// <param name="UserRole">TenantAdmin or TenantUser.</param>
/// <param name="TenantId">Honoured for provider staff only; a tenant admin always creates users of its own tenant.</param>
public sealed record CreateUserRequest(string? UserName, string? UserEmail, string? UserRole, string? TenantId);
