namespace SaasOnboarding.Api.Registration;

/// <summary>This process's identity in the onboarding journal, so the reconciler leaves its live registrations alone.</summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = Guid.NewGuid().ToString("N");
}
