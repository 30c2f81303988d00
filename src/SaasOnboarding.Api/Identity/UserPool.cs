namespace SaasOnboarding.Api.Identity;

/// <summary>The two user pools of the workshop: provider staff, and the pooled tenant users.</summary>
public enum UserPool
{
    Operations,
    Tenant,
}
