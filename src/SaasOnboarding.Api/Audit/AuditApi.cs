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
/// entry through the API. One tenant's listing merges the catalog's entries of the tenant with its own database's
/// (its products' and orders' changes), newest first, with one page token over both; a listing of every tenant
/// reads the catalog's log alone.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Audit").RequireManagementRateLimits();
        group.MapGet("/audit", ListAudit)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Read the audit log, newest first; filters: tenantId, actor, action, from and to (ISO 8601, from inclusive, to exclusive)")
            .WithDescription(
                "Provider staff read every entry; a tenant admin reads its own tenant's, and `tenantId` naming another tenant answers 404. "
                + "One tenant's listing includes the changes of its products and orders, kept in its own database; a listing without "
                + "`tenantId` (provider staff) shows the catalog's entries only: tenants, users, refusals and sign-ins.");
        return group;
    }

    /// <summary>The list a merged listing's page token names, so that no other listing's token is taken for one.</summary>
    private const string MergedList = "tenant-audit";

    public static async Task<Results<Ok<ListResponse<AuditEntry>>, ValidationProblem, NotFound>> ListAudit(
        TenantContext caller,
        ITenantCatalog catalog,
        ITenantDatabases databases,
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

        var page = query.TenantId is { } tenantOfQuery && await catalog.GetTenantAsync(tenantOfQuery, cancellationToken) is { } listed
            && TenantStates.IsManaged(listed.Status)
            ? await MergedAsync(catalog, databases.Open(listed.Id), query, take!.Value, nextToken, cancellationToken)
            : await catalog.ListAuditAsync(query, take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<AuditEntry>(page.Items, page.NextToken));
    }

    /// <summary>
    /// A page of one tenant's two logs as one: each is read from the page token's place (the last entry shown: its
    /// time and id) for one entry more than the page holds, and the newest <paramref name="limit"/> of both are the
    /// page. An entry beyond them means a next page, which starts after the last one shown.
    /// </summary>
    internal static async Task<Page<AuditEntry>> MergedAsync(
        ITenantCatalog catalog, ITenantDatabase database, AuditQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        var from = query with { Before = nextToken is null ? null : Position(nextToken) };
        var catalogEntries = await catalog.ListAuditAsync(from, limit + 1, null, cancellationToken);
        var tenantEntries = await database.ListAuditAsync(from, limit + 1, cancellationToken);
        var merged = catalogEntries.Items.Concat(tenantEntries).ToList();
        merged.Sort(AuditPosition.NewestFirst);
        if (merged.Count <= limit)
        {
            return new Page<AuditEntry>(merged, null);
        }

        var last = merged[limit - 1];
        return new Page<AuditEntry>(merged[..limit], PageTokens.Encode(MergedList, StoredTime.Format(last.Time), last.Id));
    }

    private static AuditPosition Position(string nextToken)
    {
        var keys = PageTokens.Decode(nextToken, 3);
        if (keys[0] != MergedList || keys[2].Length == 0)
        {
            throw new InvalidPageTokenException();
        }

        try
        {
            return new AuditPosition(StoredTime.Parse(keys[1]), keys[2]);
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException();
        }
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
