namespace SaasOnboarding.Domain;

/// <summary>The roles a user acts with.</summary>
public static class Roles
{
    public const string SystemAdmin = "SystemAdmin";
    public const string TenantAdmin = "TenantAdmin";
    public const string TenantUser = "TenantUser";

    /// <summary>The <c>custom:tenantId</c> of provider staff.</summary>
    public const string SystemAdminsTenantId = "system_admins";

    /// <summary>
    /// The tenant role <paramref name="role"/> names, ignoring case, in its canonical spelling; null when it names
    /// none. Tenant users are TenantAdmin or TenantUser: SystemAdmin lives only in the operations pool.
    /// </summary>
    public static string? TenantRole(string role) =>
        string.Equals(role, TenantAdmin, StringComparison.OrdinalIgnoreCase) ? TenantAdmin
        : string.Equals(role, TenantUser, StringComparison.OrdinalIgnoreCase) ? TenantUser
        : null;
}
