namespace SaasOnboarding.Domain;

/// <summary>A user of a tenant as the last-admin rule sees it.</summary>
public sealed record TenantMember(string UserName, string? Role, bool Enabled)
{
    public bool IsEnabledAdmin => Enabled && Role == Roles.TenantAdmin;
}
