using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// Tenant management: provider staff see every tenant; a tenant admin sees and edits its own, and any other
/// tenant answers 404.
/// </summary>
public static class TenantsApi
{
    public static RouteGroupBuilder MapTenantsApi(this IEndpointRouteBuilder endpoints)
    {
        // Provider staff, or the tenant's own admin (handlers narrow it to that tenant); listing and reactivating also need
        // provider staff.
        var group = endpoints.MapGroup(string.Empty).WithTags("Tenants").RequireAuthorization(Policies.SystemOrTenantAdmin).RequireManagementRateLimits();
        group.MapGet("/tenants", ListTenants)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("List tenants, by name; `name` filters by a part of the name");
        group.MapGet("/tenant/{tenantId}", GetTenant).WithName(nameof(GetTenant))
            .WithSummary("Read a tenant")
            .WithDescription("Answers an `ETag`; send it back in `If-Match` to make a later PUT or DELETE conditional.");
        group.MapPut("/tenant/{tenantId}", UpdateTenant)
            .WithSummary("Update a tenant's name, email, phone, address or (provider staff only) tier; absent fields stay")
            .WithDescription("Writes only the fields sent. With `If-Match`, 412 and no change unless the tenant is still at that `ETag`.");
        group.MapDelete("/tenant/{tenantId}", DeactivateTenant)
            .WithSummary("Deactivate a tenant: its users are disabled and its live tokens refused at once")
            .WithDescription("With `If-Match`, 412 and no change unless the tenant is still at that `ETag`.");
        group.MapPut("/tenant/activation/{tenantId}", ActivateTenant)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Reactivate a tenant and re-enable its users")
            .WithDescription("With `If-Match`, 412 and no change unless the tenant is still at that `ETag`.");
        return group;
    }

    public static async Task<Results<Ok<ListResponse<TenantResponse>>, ValidationProblem>> ListTenants(
        ITenantCatalog catalog, CancellationToken cancellationToken, int? limit = null, string? nextToken = null, string? name = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await catalog.ListTenantsAsync(take!.Value, nextToken, name, cancellationToken);
        return TypedResults.Ok(new ListResponse<TenantResponse>([.. page.Items.Select(tenant => tenant.ToResponse())], page.NextToken));
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound>> GetTenant(
        string tenantId, TenantContext caller, ITenantCatalog catalog, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, caller, catalog, cancellationToken) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        Preconditions.SetETag(response, TenantVersions.ETagOf(tenant));
        return TypedResults.Ok(tenant.ToResponse());
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateTenant(
        string tenantId,
        UpdateTenantRequest request,
        TenantContext caller,
        ITenantCatalog catalog,
        TenantLifecycle lifecycle,
        HttpRequest http,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, caller, catalog, cancellationToken) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        var fields = TenantFields.Check(errors, request.TenantName, request.TenantEmail, request.TenantPhone, request.TenantAddress, request.TenantTier, required: false);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (fields.TenantTier is { } tier && tier != tenant.TenantTier && !caller.IsSystemAdmin)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Tier is managed by the provider",
                detail: "Only provider staff may change a tenant's tier.",
                extensions: new Dictionary<string, object?> { ["field"] = "tenantTier" });
        }

        if (!Preconditions.IfMatchAllows(http, TenantVersions.ETagOf(tenant)))
        {
            return Preconditions.PreconditionFailed();
        }

        // Only the fields the request carries are written; a tier a tenant admin repeats unchanged is not.
        var changes = new TenantChanges(
            fields.TenantName, fields.TenantEmail, fields.TenantPhone, fields.TenantAddress, caller.IsSystemAdmin ? fields.TenantTier : null);
        var result = await lifecycle.UpdateAsync(tenant, changes, TenantVersions.Expected(http, tenant), cancellationToken);
        return result switch
        {
            { Outcome: TenantUpdateOutcome.Updated, Tenant: { } updated } => Answer(http.HttpContext.Response, updated),
            { Outcome: TenantUpdateOutcome.NameTaken } => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Tenant name taken",
                detail: "Another tenant already has this name (names are compared ignoring case, spacing and look-alike forms).",
                extensions: new Dictionary<string, object?> { ["field"] = "tenantName" }),
            { Outcome: TenantUpdateOutcome.VersionMismatch } => Preconditions.PreconditionFailed(),
            _ => TypedResults.NotFound(),
        };
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> DeactivateTenant(
        string tenantId, TenantContext caller, ITenantCatalog catalog, TenantLifecycle lifecycle, HttpRequest http, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, caller, catalog, cancellationToken) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        if (!Preconditions.IfMatchAllows(http, TenantVersions.ETagOf(tenant)))
        {
            return Preconditions.PreconditionFailed();
        }

        return Answer(http.HttpContext.Response, await lifecycle.DeactivateAsync(tenantId, TenantVersions.Expected(http, tenant), cancellationToken));
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound, ProblemHttpResult>> ActivateTenant(
        string tenantId, ITenantCatalog catalog, TenantLifecycle lifecycle, HttpRequest http, CancellationToken cancellationToken)
    {
        var tenant = TenantIds.IsValid(tenantId) ? await catalog.GetTenantAsync(tenantId, cancellationToken) : null;
        if (tenant is null || !TenantStates.IsManaged(tenant.Status))
        {
            return TypedResults.NotFound();
        }

        if (!Preconditions.IfMatchAllows(http, TenantVersions.ETagOf(tenant)))
        {
            return Preconditions.PreconditionFailed();
        }

        return Answer(http.HttpContext.Response, await lifecycle.ActivateAsync(tenantId, TenantVersions.Expected(http, tenant), cancellationToken));
    }

    /// <summary>The tenant with its <c>ETag</c>, 412 for a stale version, otherwise 404.</summary>
    private static Results<Ok<TenantResponse>, NotFound, ProblemHttpResult> Answer(HttpResponse response, TenantUpdateResult result)
    {
        switch (result)
        {
            case { Outcome: TenantUpdateOutcome.Updated, Tenant: { } tenant }:
                return Answer(response, tenant);
            case { Outcome: TenantUpdateOutcome.VersionMismatch }:
                return Preconditions.PreconditionFailed();
            default:
                return TypedResults.NotFound();
        }
    }

    private static Ok<TenantResponse> Answer(HttpResponse response, Tenant tenant)
    {
        Preconditions.SetETag(response, TenantVersions.ETagOf(tenant));
        return TypedResults.Ok(tenant.ToResponse());
    }

    /// <summary>The tenant if the caller may manage it; otherwise null, so that the answer is 404 either way.</summary>
    internal static async Task<Tenant?> FindAsync(string tenantId, TenantContext caller, ITenantCatalog catalog, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId) || !(caller.IsSystemAdmin || (caller.IsTenantAdmin && caller.TenantId == tenantId)))
        {
            return null;
        }

        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        return tenant is not null && TenantStates.IsManaged(tenant.Status) ? tenant : null;
    }
}
