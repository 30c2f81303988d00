namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// What any user of a tenant may read of it (<c>GET /tenant</c>): the name its pages show and its plan, nothing else
/// (no contact details, status or dates).
/// </summary>
public sealed record OwnTenantResponse(string Id, string TenantName, string TenantTier);
