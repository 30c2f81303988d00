using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// Reads the audit log (docs/audit-and-events.md): provider staff all of it, a tenant admin its own tenant's entries
/// (another tenant's filter answers 404, as another tenant's data does everywhere). Nothing changes or deletes an
/// entry through the API.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Audit").RequireManagementRateLimits();
        group.MapGet("/audit", ListAudit)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Read the audit log, newest first; filters: tenantId, actor, action, from and to (ISO 8601, from inclusive, to exclusive)")
            .WithDescription("Provider staff read every entry; a tenant admin reads its own tenant's, and `tenantId` naming another tenant answers 404.");
        return group;
    }

    public static async Task<Results<Ok<ListResponse<AuditEntry>>, ValidationProblem, NotFound>> ListAudit(
        TenantContext caller,
        ITenantCatalog catalog,
        CancellationToken cancellationToken,
        int? limit = null,
        string? nextToken = null,
        string? tenantId = null,
        string? actor = null,
        string? action = null,
        string? from = null,
        string? to = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        var tenant = errors.Text("tenantId", tenantId, required: false, 32, TenantIds.IsValid, "Must be a tenant id.");
        var query = new AuditQuery(
            tenant,
            errors.Text("actor", actor, required: false, 128),
            errors.Text("action", action, required: false, 256),
            Time(errors, "from", from),
            Time(errors, "to", to));
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!caller.IsSystemAdmin)
        {
            if (tenant is not null && tenant != caller.TenantId)
            {
                return TypedResults.NotFound();
            }

            query = query with { TenantId = caller.RequiredTenantId };
        }

        var page = await catalog.ListAuditAsync(query, take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<AuditEntry>(page.Items, page.NextToken));
    }

    private static DateTimeOffset? Time(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add(field, "Must be a date and time in ISO 8601 form, such as 2026-01-31T12:00:00Z.");
        return null;
    }
}
