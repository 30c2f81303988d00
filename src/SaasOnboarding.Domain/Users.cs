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

/// <summary>A user of a tenant as the last-admin rule sees it.</summary>
public sealed record TenantMember(string UserName, string? Role, bool Enabled)
{
    public bool IsEnabledAdmin => Enabled && Role == Roles.TenantAdmin;
}

/// <summary>A tenant always keeps an enabled TenantAdmin.</summary>
public static class LastAdminRule
{
    /// <summary>
    /// Whether changing <paramref name="user"/> to <paramref name="role"/> (null: unchanged) and
    /// <paramref name="enabled"/> would leave its tenant, whose users are <paramref name="members"/>, without an
    /// enabled TenantAdmin. Deactivating the whole tenant is not such a change: the provider may always do it.
    /// </summary>
    public static bool Refuses(TenantMember user, string? role, bool enabled, IEnumerable<TenantMember> members)
    {
        var after = user with { Role = role ?? user.Role, Enabled = enabled };
        return user.IsEnabledAdmin
            && !after.IsEnabledAdmin
            && !members.Any(member => member.UserName != user.UserName && member.IsEnabledAdmin);
    }
}
