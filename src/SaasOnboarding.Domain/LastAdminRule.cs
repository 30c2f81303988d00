namespace SaasOnboarding.Domain;

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
