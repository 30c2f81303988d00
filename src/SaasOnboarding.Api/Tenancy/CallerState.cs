namespace SaasOnboarding.Api.Tenancy;

/// <summary>A signed-in user as the directory holds it now.</summary>
/// <param name="Enabled">Whether its tokens are honoured.</param>
/// <param name="Role">The role it acts with, whatever its token says.</param>
/// <param name="TenantId">A tenant user's tenant (from its mapping); null for staff.</param>
public sealed record CallerState(bool Enabled, string? Role, string? TenantId);
