namespace SaasOnboarding.Api.Users;

/// <summary>How enabling or disabling every user of a tenant ended: the users changed when <see cref="Outcome"/> is Done.</summary>
public sealed record TenantUsersChange(UserChangeOutcome Outcome, IReadOnlyList<string> UserNames);
