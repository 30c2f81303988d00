using System.Security.Claims;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Turns the verified ID token into the request's <see cref="TenantContext"/>, refuses callers whose tenant is
/// not active, and adds the tenant to the log scope. Runs after authentication, before authorization.
/// An <see cref="IMiddleware"/> from DI: convention-based middleware with per-request parameters has its invoker
/// compiled from an expression tree at start-up.
/// </summary>
public sealed class TenantResolutionMiddleware(TenantAccess access, ILogger<TenantResolutionMiddleware> logger) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var tenant = context.RequestServices.GetRequiredService<TenantContext>();
        var user = context.User;
        if (user.Identity is not { IsAuthenticated: true } || TokenClaims.PoolOf(user) is not { } pool)
        {
            await next(context);
            return;
        }

        var tenantId = user.FindFirstValue(TokenClaims.TenantId);
        tenant.Set(
            user.FindFirstValue(TokenClaims.UserName) ?? string.Empty,
            pool,
            user.FindFirstValue(TokenClaims.UserRole),
            pool == UserPool.Tenant && TenantIds.IsValid(tenantId) ? tenantId : null);

        if (tenant.TenantId is { } id)
        {
            var state = await access.GetTenantAsync(id, context.RequestAborted);
            if (state is null || !TenantStates.Serves(state.Status))
            {
                await Results.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Tenant is not active",
                        detail: "This tenant has been deactivated. A provider administrator can reactivate it.")
                    .ExecuteAsync(context);
                return;
            }

            tenant.SetTier(state.Tier);
        }

        using (logger.BeginScope(new Dictionary<string, object?> { ["TenantId"] = tenant.TenantId ?? tenant.Role }))
        {
            await next(context);
        }
    }
}
