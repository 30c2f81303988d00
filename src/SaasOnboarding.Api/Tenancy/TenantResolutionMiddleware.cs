using System.Security.Claims;
using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Asks <see cref="CallerCheck"/> about the verified ID token and acts on the answer: a revoked caller goes on as
/// anonymous (so every route that needs a user answers 401 with <c>error="invalid_token"</c>, as for any refused
/// token: <see cref="RevokedToken"/>), a caller of an inactive
/// tenant is answered 403, and an allowed one becomes the request's <see cref="TenantContext"/>, with the tenant in
/// the log scope and on the request's span and metrics (<see cref="Telemetry.TagTenant"/>). Runs after
/// authentication, before authorization. An <see cref="IMiddleware"/> from DI: convention-based middleware with per-request parameters has its invoker compiled from an expression tree at start-up.
/// </summary>
public sealed class TenantResolutionMiddleware(CallerCheck check, ILogger<TenantResolutionMiddleware> logger) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var verdict = await check.CheckAsync(context.User, context.RequestAborted);
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

        using (logger.BeginScope(new TenantLogScope(tenant.TenantId ?? tenant.Role)))
        {
            await next(context);
        }
    }
}
