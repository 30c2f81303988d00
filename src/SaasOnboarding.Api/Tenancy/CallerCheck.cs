using System.Security.Claims;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// The one place that decides, at every request, whether a verified token's caller may still act, and with which
/// role: the directory must still honour the user (a disabled or removed user, or one no longer in the token's
/// tenant, is revoked at once), a tenant user's tenant must be active, and the role is the directory's now, never
/// the token's. <see cref="TenantResolutionMiddleware"/> asks it once per request; what it reads is cached by
/// <see cref="TenantAccess"/>.
/// </summary>
public sealed class CallerCheck(TenantAccess access)
{
    public async Task<CallerVerdict> CheckAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity is not { IsAuthenticated: true } || TokenClaims.PoolOf(user) is not { } pool)
        {
            return CallerVerdict.Anonymous;
        }

        var userName = user.FindFirstValue(TokenClaims.UserName);
        // A tenant token without a tenant stays allowed: no tenant policy accepts it, so tenant routes answer 403.
        var tokenTenantId = user.FindFirstValue(TokenClaims.TenantId);

        // Stryker disable once Logical : a staff token carries no tenant id (the operations pool has no tenants), so either operator reads none.
        var tenantId = pool == UserPool.Tenant && TenantIds.IsValid(tokenTenantId) ? tokenTenantId : null;

        // One read per request of the tenant's access revision: a change committed on any instance moved it.
        var revision = tenantId is null ? 0 : await access.RevisionAsync(tenantId, cancellationToken);
        // Stryker disable once Conditional : every token the pools sign names its user; the check guards one they never mint.
        var caller = userName is null ? null : await access.GetCallerAsync(pool, userName, revision, cancellationToken);
        if (caller is not { Enabled: true } || (pool == UserPool.Tenant && tokenTenantId is not null && caller.TenantId != tokenTenantId))
        {
            return CallerVerdict.Revoked;
        }

        string? tier = null;
        if (tenantId is not null)
        {
            var tenant = await access.GetTenantAsync(tenantId, revision, cancellationToken);
            if (tenant is null || !TenantStates.Serves(tenant.Status))
            {
                return CallerVerdict.TenantInactive;
            }

            tier = tenant.Tier;
        }

        return new CallerVerdict(CallerStanding.Allowed, userName!, pool, caller.Role, tenantId, tier);
    }
}
