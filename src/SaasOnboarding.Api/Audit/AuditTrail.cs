using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// One audit entry for every request to a route that changes something (POST, PUT, PATCH, DELETE), whatever its
/// answer (docs/audit-and-events.md). A change made through the catalog, or through a tenant's database (products,
/// orders), writes its own entry in its transaction (<see cref="ChangeRecords"/>); for every other answer (a refusal,
/// a failure, a sign-in, a change made only in the identity provider) this middleware writes the entry, in the
/// catalog, just before the answer's headers leave, when its status is known. Not recorded: answers of the rate
/// limiter (429), so that a flood does not flood the log.
/// </summary>
public static class AuditTrail
{
    internal const string RecordedKey = "SaasOnboarding.AuditRecorded";
    private const string TargetKey = "SaasOnboarding.AuditTarget";
    private const string TenantUserKey = "SaasOnboarding.AuditTenantUser";

    /// <summary>The actor of an anonymous request (a registration, a sign-in).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The outcome of a sign-in refused because the account is locked after failed attempts.</summary>
    public const string LockedOut = "locked-out";

    /// <summary>
    /// Names the user an anonymous request acts on (a sign-in, its challenges). A user of the tenants' pool makes the
    /// entry its tenant's when the catalog maps the name to one, so that the tenant's admin sees its users' failed
    /// sign-ins and lock-outs. The mapping is looked up when the entry is written, after the answer is decided and
    /// for every name alike: the answer does not tell whether the account exists.
    /// </summary>
    public static void SetUser(HttpContext context, string? userName, UserPool? pool)
    {
        var target = userName is { Length: > 128 } ? userName[..128] : userName;
        context.Items[TargetKey] = target;
        context.Items[TenantUserKey] = pool == UserPool.Tenant ? target : null;
    }

    /// <summary>
    /// Marks a request that makes no change through the API (the Lambda schedule's passes, whose effects record
    /// themselves): it writes an entry only when refused or failed.
    /// </summary>
    public static void NotAChange(HttpContext context) => context.Items[RecordedKey] = true;

    /// <summary>Goes after the start-up gate, before authentication: it sees every answer an endpoint gives.</summary>
    public static WebApplication UseAuditTrail(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Read now: the exception handler clears the endpoint and route values before it answers.
            if (IsChange(context.Request.Method) && context.GetEndpoint() is RouteEndpoint endpoint)
            {
                var action = ActionOf(context.Request.Method, endpoint);
                var routeValues = new RouteValueDictionary(context.Request.RouteValues);
                context.Response.OnStarting(() => RecordAsync(context, action, routeValues));
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The action of a request: its method and route pattern, such as <c>DELETE /tenant/{tenantId}</c>.</summary>
    internal static string? ActionOf(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint ? ActionOf(context.Request.Method, endpoint) : null;

    private static string ActionOf(string method, RouteEndpoint endpoint) => method + " /" + endpoint.RoutePattern.RawText?.TrimStart('/');

    internal static string ActorOf(TenantContext caller) => caller.UserName ?? Anonymous;

    /// <summary>An entry of the request in <paramref name="context"/>.</summary>
    internal static AuditEntry Entry(
        HttpContext context, TenantContext caller, DateTimeOffset now, string? tenantId, string? target, string outcome, int? status, string? action = null) => new(
        Guid.CreateVersion7(now).ToString(),
        StoredTime.Truncate(now),
        ActorOf(caller),
        caller.Pool?.ToString(),
        tenantId,
        action ?? ActionOf(context) ?? context.Request.Method + " " + context.Request.Path,
        target,
        outcome,
        status,
        context.Connection.RemoteIpAddress?.ToString(),
        Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);

    private static bool IsChange(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static async Task<string?> TenantOfAsync(IServiceProvider services, string userName)
    {
        try
        {
            return (await services.GetRequiredService<ITenantCatalog>().GetTenantUserAsync(userName, CancellationToken.None))?.TenantId;
        }
        catch (Exception e)
        {
            // The entry is still written, as the provider's only.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail)).LogWarning(e, "Looking up the tenant of a sign-in's user failed");
            return null;
        }
    }

    private static async Task RecordAsync(HttpContext context, string action, RouteValueDictionary routeValues)
    {
        var status = context.Response.StatusCode;
        var recorded = context.Items.ContainsKey(RecordedKey);
        if (status == StatusCodes.Status429TooManyRequests || (recorded && status < 400))
        {
            return;
        }

        var services = context.RequestServices;
        var caller = services.GetRequiredService<TenantContext>();
        // A tenant member's refused request is its own tenant's entry, never the tenant it named: another tenant's
        // log does not learn who probed it.
        var tenantId = caller.TenantId ?? (caller.IsSystemAdmin ? routeValues["tenantId"] as string : null);
        if (tenantId is null && context.Items[TenantUserKey] is string tenantUser)
        {
            tenantId = await TenantOfAsync(services, tenantUser);
        }

        var target = context.Items[TargetKey] as string
            ?? routeValues["userName"] as string
            ?? routeValues["id"] as string
            ?? routeValues["tenantId"] as string;
        var outcome = status switch
        {
            < 400 => AuditOutcomes.Succeeded,
            < 500 when context.Features.Get<IExceptionHandlerFeature>()?.Error is DirectoryException { Message: "Password attempts exceeded" } => LockedOut,
            < 500 => AuditOutcomes.Refused,
            _ => AuditOutcomes.Failed,
        };
        var entry = Entry(context, caller, services.GetRequiredService<TimeProvider>().GetUtcNow(), tenantId, target, outcome, status, action);
        try
        {
            // Not the request's token: a client that hangs up does not take its entry with it.
            await services.GetRequiredService<ITenantCatalog>().RecordAsync(ChangeRecord.Of(entry), CancellationToken.None);
        }
        catch (Exception e)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail))
                .LogError(e, "Writing the audit entry of {Action} ({Status}) failed", entry.Action, status);
        }
    }
}
