using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// One audit entry for every request to a route that changes something (POST, PUT, PATCH, DELETE), whatever its
/// answer (docs/audit-and-events.md). A change made through the catalog writes its own entry in its transaction
/// (<see cref="ChangeRecords"/>); for every other answer (a refusal, a failure, a sign-in, a data-plane write) this
/// middleware writes the entry just before the answer's headers leave, when its status is known. Not recorded:
/// answers of the rate limiter (429), so that a flood does not flood the log.
/// </summary>
public static class AuditTrail
{
    internal const string RecordedKey = "SaasOnboarding.AuditRecorded";
    private const string TargetKey = "SaasOnboarding.AuditTarget";

    /// <summary>The actor of an anonymous request (a registration, a sign-in).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The outcome of a sign-in refused because the account is locked after failed attempts.</summary>
    public const string LockedOut = "locked-out";

    /// <summary>Names what the request acts on when no route value does (the user name of a sign-in).</summary>
    public static void SetTarget(HttpContext context, string? target) =>
        context.Items[TargetKey] = target is { Length: > 128 } ? target[..128] : target;

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
