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
        // Any user of a tenant reads its own tenant's name and plan, for the page header; nothing else of it.
        endpoints.MapGet("/tenant", GetOwnTenant)
            .WithTags("Tenants")
            .RequireAuthorization(Policies.TenantUser)
            .RequireRateLimiting(RateLimits.Tenant)
            .WithSummary("Read the caller's own tenant's name and plan (any user of the tenant)")
            .WithDescription("For the page header of a tenant's users, who may not read the tenant itself: its id, name and tier only.");

        // Provider staff, or the tenant's own admin (handlers narrow it to that tenant); listing and reactivating also need
        // provider staff.
        var group = endpoints.MapGroup(string.Empty).WithTags("Tenants").RequireAuthorization(Policies.SystemOrTenantAdmin).RequireManagementRateLimits();
        group.MapGet("/tenants", ListTenants)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("List tenants: `search` by a part of the name, the admin email or the tenant id; `status`, `tier` filter; `sort` orders")
            .WithDescription("Without `status`, every tenant but purged ones (tombstones); `status=Purged` lists the tombstones. `sort` is `name` (the default), `created` or `tier` (Basic, Standard, Premium, Platinum, then by name), each descending with a leading `-`. `total` counts the matches in all pages. A `nextToken` is valid only with the search, filters and sort it was issued for; any other answers 400 naming `nextToken`. `name`, the search's old name, answers 400.");
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

    /// <summary>The values of <c>sort</c>: a key for ascending order, the key after a minus sign for descending.</summary>
    internal static readonly IReadOnlyList<string> SortValues = ["name", "-name", "created", "-created", "tier", "-tier"];

    public static async Task<Results<Ok<ListResponse<TenantResponse>>, ValidationProblem>> ListTenants(
        ITenantCatalog catalog,
        CancellationToken cancellationToken,
        int? limit = null,
        string? nextToken = null,
        string? search = null,
        string? status = null,
        string? tier = null,
        string? sort = null,
        string? name = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (name is not null)
        {
            // The filter's old name: refused rather than ignored, so an older client does not get an unfiltered list.
            errors.Add("name", "name is now search: send search instead.");
        }

        var text = errors.Text("search", search, required: false, 256);
        TenantStatus? wanted = null;
        if (status is not null)
        {
            // By name only (Enum.TryParse would take "3" too); registrations in progress are never listed.
            var named = Enum.GetValues<TenantStatus>().Where(value => value != TenantStatus.Provisioning).ToArray();
            var match = Array.FindIndex(named, value => value.ToString().Equals(status, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                errors.Add("status", "status must be one of " + string.Join(", ", named) + ".");
            }
            else
            {
                wanted = named[match];
            }
        }

        var plan = tier is null ? null : TenantTiers.Canonical(tier);
        if (tier is not null && plan is null)
        {
            errors.Add("tier", "tier must be one of " + string.Join(", ", TenantTiers.All) + ".");
        }

        var order = sort?.ToLowerInvariant() ?? "name";
        if (!SortValues.Contains(order))
        {
            errors.Add("sort", "sort must be one of " + string.Join(", ", SortValues) + ".");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var query = new TenantQuery(text, wanted, plan, Enum.Parse<TenantSort>(order.TrimStart('-'), ignoreCase: true), order.StartsWith('-'));
        var page = await catalog.ListTenantsAsync(query, take!.Value, nextToken, cancellationToken);
        var total = await catalog.CountTenantsAsync(query, cancellationToken);
        return TypedResults.Ok(new ListResponse<TenantResponse>([.. page.Items.Select(tenant => tenant.ToResponse())], page.NextToken, total));
    }

    public static async Task<Results<Ok<OwnTenantResponse>, NotFound>> GetOwnTenant(TenantContext caller, ITenantCatalog catalog, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(caller.RequiredTenantId, cancellationToken);
        return tenant is not null && TenantStates.IsManaged(tenant.Status)
            ? TypedResults.Ok(new OwnTenantResponse(tenant.Id, tenant.TenantName, tenant.TenantTier))
            : TypedResults.NotFound();
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

        return Answer(http, await lifecycle.DeactivateAsync(tenantId, TenantVersions.Expected(http, tenant), cancellationToken));
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

        return Answer(http, await lifecycle.ActivateAsync(tenantId, TenantVersions.Expected(http, tenant), cancellationToken));
    }

    /// <summary>
    /// The tenant with its <c>ETag</c>; 412 for a stale version (409 when the request named none: the tenant changed
    /// between this request's read and its write); 409 for a status that does not allow the change; otherwise 404.
    /// </summary>
    internal static Results<Ok<TenantResponse>, NotFound, ProblemHttpResult> Answer(HttpRequest request, TenantUpdateResult result)
    {
        switch (result)
        {
            case { Outcome: TenantUpdateOutcome.Updated, Tenant: { } tenant }:
                return Answer(request.HttpContext.Response, tenant);
            case { Outcome: TenantUpdateOutcome.VersionMismatch } when Preconditions.NamesVersions(request):
                return Preconditions.PreconditionFailed();
            case { Outcome: TenantUpdateOutcome.VersionMismatch }:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Tenant changed meanwhile",
                    detail: "The tenant changed while this request was applied; read it again and retry.");
            case { Outcome: TenantUpdateOutcome.NotAllowed }:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Not allowed in the tenant's status",
                    detail: "The tenant's status does not allow this change (see its status in GET /tenant/{tenantId}).",
                    extensions: new Dictionary<string, object?> { ["field"] = "status" });
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
