using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>The caller of a request, as <see cref="CallerCheck"/> found it.</summary>
/// <param name="Standing">Whether it may go on, and if not why.</param>
/// <param name="UserName">The token's user; empty when anonymous.</param>
/// <param name="Pool">The pool whose keys verified the token; null when anonymous.</param>
/// <param name="Role">The role the directory holds now, never the token's.</param>
/// <param name="TenantId">A tenant user's tenant; null for staff, and for a tenant token without a valid tenant.</param>
/// <param name="TenantTier">The tier of that tenant.</param>
public sealed record CallerVerdict(CallerStanding Standing, string UserName = "", UserPool? Pool = null, string? Role = null, string? TenantId = null, string? TenantTier = null)
{
    public static readonly CallerVerdict Anonymous = new(CallerStanding.Anonymous);
    public static readonly CallerVerdict Revoked = new(CallerStanding.Revoked);
    public static readonly CallerVerdict TenantInactive = new(CallerStanding.TenantInactive);
}
