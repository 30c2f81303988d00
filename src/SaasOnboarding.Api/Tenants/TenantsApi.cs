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
        var group = endpoints.MapGroup(string.Empty).WithTags("Tenants").RequireManagementRateLimits();
        group.MapGet("/tenants", ListTenants)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("List tenants, by name; `name` filters by a part of the name");
        group.MapGet("/tenant/{tenantId}", GetTenant)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Read a tenant");
        group.MapPut("/tenant/{tenantId}", UpdateTenant)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Update a tenant's name, email, phone, address or (provider staff only) tier; absent fields stay");
        group.MapDelete("/tenant/{tenantId}", DeactivateTenant)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Deactivate a tenant: its users are disabled and its live tokens refused at once");
        group.MapPut("/tenant/activation/{tenantId}", ActivateTenant)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Reactivate a tenant and re-enable its users");
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
        string tenantId, TenantContext caller, ITenantCatalog catalog, CancellationToken cancellationToken) =>
        await FindAsync(tenantId, caller, catalog, cancellationToken) is { } tenant
            ? TypedResults.Ok(tenant.ToResponse())
            : TypedResults.NotFound();

    public static async Task<Results<Ok<TenantResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateTenant(
        string tenantId, UpdateTenantRequest request, TenantContext caller, ITenantCatalog catalog, TenantAccess access, TimeProvider time, CancellationToken cancellationToken)
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

        var updated = tenant with
        {
            TenantName = fields.TenantName ?? tenant.TenantName,
            TenantEmail = fields.TenantEmail ?? tenant.TenantEmail,
            TenantPhone = fields.TenantPhone ?? tenant.TenantPhone,
            TenantAddress = fields.TenantAddress ?? tenant.TenantAddress,
            TenantTier = fields.TenantTier ?? tenant.TenantTier,
            UpdatedAt = time.GetUtcNow(),
        };
        var outcome = await catalog.UpdateTenantAsync(updated, cancellationToken);
        access.ForgetTenant(tenantId);
        return outcome switch
        {
            TenantUpdateOutcome.Updated => TypedResults.Ok(updated.ToResponse()),
            TenantUpdateOutcome.NameTaken => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Tenant name taken",
                detail: "Another tenant already has this name (names are compared ignoring case).",
                extensions: new Dictionary<string, object?> { ["field"] = "tenantName" }),
            _ => TypedResults.NotFound(),
        };
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound>> DeactivateTenant(
        string tenantId, TenantContext caller, ITenantCatalog catalog, TenantLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, caller, catalog, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        return await lifecycle.DeactivateAsync(tenantId, cancellationToken) is { } tenant ? TypedResults.Ok(tenant.ToResponse()) : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<TenantResponse>, NotFound>> ActivateTenant(
        string tenantId, TenantLifecycle lifecycle, CancellationToken cancellationToken) =>
        TenantIds.IsValid(tenantId) && await lifecycle.ActivateAsync(tenantId, cancellationToken) is { } tenant
            ? TypedResults.Ok(tenant.ToResponse())
            : TypedResults.NotFound();

    /// <summary>The tenant if the caller may manage it; otherwise null, so that the answer is 404 either way.</summary>
    private static async Task<Tenant?> FindAsync(string tenantId, TenantContext caller, ITenantCatalog catalog, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId) || !(caller.IsSystemAdmin || (caller.IsTenantAdmin && caller.TenantId == tenantId)))
        {
            return null;
        }

        var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
        return tenant is { Status: not TenantStatus.Provisioning } ? tenant : null;
    }
}

/// <summary>Absent fields stay as they are.</summary>
public sealed record UpdateTenantRequest(string? TenantName, string? TenantEmail, string? TenantPhone, string? TenantAddress, string? TenantTier);

public sealed record TenantResponse(
    string Id,
    string TenantName,
    string TenantEmail,
    string? TenantPhone,
    string? TenantAddress,
    string TenantTier,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public static class TenantMapping
{
    public static TenantResponse ToResponse(this Tenant tenant) => new(
        tenant.Id, tenant.TenantName, tenant.TenantEmail, tenant.TenantPhone, tenant.TenantAddress, tenant.TenantTier, tenant.IsActive, tenant.CreatedAt, tenant.UpdatedAt);
}
