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
    /// <summary>The decision at the tenant's access revision now, read first.</summary>
    public async Task<CallerVerdict> CheckAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (Read(user) is not { } claims)
        {
            return CallerVerdict.Anonymous;
        }

        // One read per request of the tenant's access revision: a change committed on any instance moved it.
        var revision = claims.TenantId is null ? 0 : await access.RevisionAsync(claims.TenantId, cancellationToken);
        return await DecideAtAsync(claims, revision, cancellationToken);
    }

    /// <summary>
    /// The decision at <paramref name="revision"/> of the token's tenant, which the caller read elsewhere (a tenant
    /// database that reads it with its own work: <see cref="IAccessRevisionCheck"/>).
    /// </summary>
    public Task<CallerVerdict> CheckAtAsync(ClaimsPrincipal user, long revision, CancellationToken cancellationToken) =>
        Read(user) is { } claims ? DecideAtAsync(claims, revision, cancellationToken) : Task.FromResult(CallerVerdict.Anonymous);

    /// <summary>
    /// Without reading anything: a tenant user allowed by what this instance holds about the user and the tenant,
    /// both cached at one access revision, returned with it. Null when that is not enough: nothing cached, entries of
    /// different revisions, a staff caller, or a refusal (which is always decided at the revision read now).
    /// </summary>
    public (CallerVerdict Verdict, long Revision)? CheckCached(ClaimsPrincipal user)
    {
        if (Read(user) is not { TenantId: { } tenantId, UserName: { } userName } claims
            || access.Cached(tenantId, userName) is not { } cached)
        {
            return null;
        }

        var verdict = Decide(claims, cached.Caller, cached.Tenant);
        return verdict.Standing == CallerStanding.Allowed ? (verdict, cached.Revision) : null;
    }

    private async Task<CallerVerdict> DecideAtAsync(Claims claims, long revision, CancellationToken cancellationToken)
    {
        // Stryker disable once Conditional : every token the pools sign names its user; the check guards one they never mint.
        var caller = claims.UserName is null ? null : await access.GetCallerAsync(claims.Pool, claims.UserName, revision, cancellationToken);
        var tenant = claims.TenantId is null || IsRevoked(claims, caller)
            ? null
            : await access.GetTenantAsync(claims.TenantId, revision, cancellationToken);
        return Decide(claims, caller, tenant);
    }

    private static CallerVerdict Decide(Claims claims, CallerState? caller, TenantState? tenant)
    {
        if (IsRevoked(claims, caller))
        {
            return CallerVerdict.Revoked;
        }

        string? tier = null;
        if (claims.TenantId is not null)
        {
            if (tenant is null || !TenantStates.Serves(tenant.Status))
            {
                return CallerVerdict.TenantInactive;
            }

            tier = tenant.Tier;
        }

        return new CallerVerdict(CallerStanding.Allowed, claims.UserName!, claims.Pool, caller!.Role, claims.TenantId, tier);
    }

    private static bool IsRevoked(Claims claims, CallerState? caller) =>
        caller is not { Enabled: true } || (claims.Pool == UserPool.Tenant && claims.TokenTenantId is not null && caller.TenantId != claims.TokenTenantId);

    private static Claims? Read(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } || TokenClaims.PoolOf(user) is not { } pool)
        {
            return null;
        }

        // A tenant token without a tenant stays allowed: no tenant policy accepts it, so tenant routes answer 403.
        var tokenTenantId = user.FindFirstValue(TokenClaims.TenantId);

        // Stryker disable once Logical : a staff token carries no tenant id (the operations pool has no tenants), so either operator reads none.
        var tenantId = pool == UserPool.Tenant && TenantIds.IsValid(tokenTenantId) ? tokenTenantId : null;
        return new Claims(pool, user.FindFirstValue(TokenClaims.UserName), tokenTenantId, tenantId);
    }

    /// <summary>What the check reads from a verified token: its pool, its user, the tenant it names, and that tenant when valid.</summary>
    private readonly record struct Claims(UserPool Pool, string? UserName, string? TokenTenantId, string? TenantId);
}
