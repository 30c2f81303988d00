using System.Security.Claims;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Asks <see cref="CallerCheck"/> about the verified ID token and acts on the answer: a revoked caller goes on as
/// anonymous (so every route that needs a user answers 401 with <c>error="invalid_token"</c>, as for any refused
/// token: <see cref="RevokedToken"/>), a caller of an inactive
/// tenant is answered 403, and an allowed one becomes the request's <see cref="TenantContext"/>, with the tenant in
/// the log scope and on the request's span and metrics (<see cref="Telemetry.TagTenant"/>). Runs after
/// authentication, before authorization. One instance from DI serves every request (<see cref="TenancySetup.UseTenantResolution"/>): convention-based middleware with per-request parameters has its invoker compiled from an expression tree at start-up.
/// </summary>
/// <remarks>
/// A read of a route marked <see cref="TenantReads"/>, on a store whose tenant databases check the access revision
/// themselves, goes on from what this instance cached without reading the revision first
/// (<see cref="DeferredAccessCheck"/>). When the tenant database finds the caller decided otherwise at the revision
/// it read, the request is answered as if it had started with that decision: refused, or run again with the new role
/// or tier.
/// </remarks>
public sealed class TenantResolutionMiddleware(CallerCheck check, ITenantDatabases databases, ILogger<TenantResolutionMiddleware> logger) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Deferrable(context) && check.CheckCached(context.User) is { } cached)
        {
            context.RequestServices.GetRequiredService<DeferredAccessCheck>().Expect(context.User, cached.Verdict, cached.Revision);
            await ActAsync(context, next, cached.Verdict);
            return;
        }

        await ActAsync(context, next, await check.CheckAsync(context.User, context.RequestAborted));
    }

    private bool Deferrable(HttpContext context) =>
        databases.ChecksAccessRevision
        && HttpMethods.IsGet(context.Request.Method)
        && context.GetEndpoint()?.Metadata.GetMetadata<TenantReads>() is not null;

    private async Task ActAsync(HttpContext context, RequestDelegate next, CallerVerdict verdict)
    {
        switch (verdict.Standing)
        {
            case CallerStanding.Revoked:
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
                context.Features.Set(RevokedToken.Instance);
                await next(context);
                return;
            case CallerStanding.TenantInactive:
                await Results.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Tenant is not active",
                        detail: "This tenant has been deactivated. A provider administrator can reactivate it.")
                    .ExecuteAsync(context);
                return;
            case CallerStanding.Anonymous:
                await next(context);
                return;
        }

        var tenant = context.RequestServices.GetRequiredService<TenantContext>();
        tenant.Set(verdict.UserName, verdict.Pool!.Value, verdict.Role, verdict.TenantId);
        if (verdict.TenantTier is { } tier)
        {
            tenant.SetTier(tier);
        }

        if (tenant.TenantId is { } tenantId)
        {
            Telemetry.TagTenant(context, tenantId, tenant.TenantTier);
        }

        CallerVerdict changed;
        using (logger.BeginScope(new TenantLogScope(tenant.TenantId ?? tenant.Role)))
        {
            try
            {
                await next(context);
                return;
            }
            catch (AccessChangedException e) when (!context.Response.HasStarted)
            {
                changed = e.Verdict;
            }
        }

        // Nothing has been sent: the request starts over from authorization with the decision at the new revision,
        // which the tenant database checks again (it expects that revision now).
        context.Response.Clear();
        if (changed.Standing == CallerStanding.Allowed)
        {
            var deferred = context.RequestServices.GetRequiredService<DeferredAccessCheck>();
            deferred.Expect(context.User, changed, deferred.Expected!.Value);
        }

        await ActAsync(context, next, changed);
    }
}
