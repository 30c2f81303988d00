using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Users;

/// <summary>How a change to one user ended: the user as it is afterwards when <see cref="Outcome"/> is Done.</summary>
public sealed record UserChange(UserChangeOutcome Outcome, DirectoryUser? User = null);
