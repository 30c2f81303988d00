using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Offboarding a tenant (docs/offboarding.md): provider staff start it for any tenant and a tenant admin for its own
/// (any other tenant answers 404); only provider staff cancel it. The purge after the retention window is
/// <see cref="PurgeService"/>'s.
/// </summary>
public static class OffboardingApi
{
    public static RouteGroupBuilder MapOffboardingApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Tenants").RequireManagementRateLimits();
        group.MapPost("/tenant/{tenantId}/offboarding", StartOffboarding)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Start offboarding a tenant: deactivated at once, purged after the retention window unless cancelled")
            .WithDescription(
                "Active or inactive tenants only (409 otherwise). Its users are disabled and its live tokens refused at once, as "
                + "`DELETE /tenant/{tenantId}` does; the answer carries `purgeAfter` and who started it. With `If-Match`, 412 and no "
                + "change unless the tenant is still at that `ETag`.");
        group.MapDelete("/tenant/{tenantId}/offboarding", CancelOffboarding)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Cancel a tenant's offboarding: it gets back the status it had, and its users when it was active")
            .WithDescription("Offboarding tenants only (409 otherwise). With `If-Match`, 412 and no change unless the tenant is still at that `ETag`.");
        return group;
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> StartOffboarding(
        string tenantId, TenantContext caller, ITenantCatalog catalog, TenantLifecycle lifecycle, HttpRequest http, CancellationToken cancellationToken)
    {
        if (await TenantsApi.FindAsync(tenantId, caller, catalog, cancellationToken) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        if (!Preconditions.IfMatchAllows(http, TenantVersions.ETagOf(tenant)))
        {
            return Preconditions.PreconditionFailed();
        }

        var result = await lifecycle.StartOffboardingAsync(
            tenantId, caller.UserName!, caller.Role!, TenantVersions.Expected(http, tenant), cancellationToken);
        return TenantsApi.Answer(http, result);
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> CancelOffboarding(
        string tenantId, TenantContext caller, ITenantCatalog catalog, TenantLifecycle lifecycle, HttpRequest http, CancellationToken cancellationToken)
    {
        if (await TenantsApi.FindAsync(tenantId, caller, catalog, cancellationToken) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        if (!Preconditions.IfMatchAllows(http, TenantVersions.ETagOf(tenant)))
        {
            return Preconditions.PreconditionFailed();
        }

        return TenantsApi.Answer(http, await lifecycle.CancelOffboardingAsync(tenantId, TenantVersions.Expected(http, tenant), cancellationToken));
    }
}
