namespace SaasOnboarding.Api.Auth;

/// <summary>Sign-in with a password.</summary>
/// <param name="UserName">The user name (a tenant admin's is <c>tenant-admin-&lt;tenantId&gt;</c>), or the user's email address where it names one user only.</param>
/// <param name="Password">The password, or the temporary password at the first sign-in.</param>
/// <param name="Pool"><c>tenant</c> (default) for tenant users, <c>operations</c> for provider staff.</param>
public sealed record SignInRequest(string? UserName, string? Password, string? Pool);
