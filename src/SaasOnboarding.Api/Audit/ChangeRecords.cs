using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// Makes the <see cref="ChangeRecord"/> a change hands its catalog write: the audit entry of the request making it
/// (actor, client address, trace id, the route as the action; <see cref="AuditTrail"/>) and the change's events.
/// Outside a request (the purge service) the actor is <c>system</c>. A request whose change made a record is not
/// recorded again when it succeeds. A tenant database's changes (products, orders) make their entries through
/// <see cref="DataPlane"/>, and write them in their own transactions.
/// </summary>
public sealed class ChangeRecords(IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>The actor of the app's own passes.</summary>
    public const string System = "system";

    /// <summary>
    /// A succeeded change of <paramref name="tenantId"/>'s <paramref name="target"/>, with <paramref name="events"/>;
    /// <paramref name="action"/> names it outside a request (inside one, the route does).
    /// </summary>
    public ChangeRecord Of(string? tenantId, string? target, string action, params LifecycleEvent[] events)
    {
        var context = http.HttpContext;
        if (context is null)
        {
            var now = time.GetUtcNow();
            return new ChangeRecord(
                new AuditEntry(Guid.CreateVersion7(now).ToString(), StoredTime.Truncate(now), System, null, tenantId, action, target, AuditOutcomes.Succeeded, null, null, null),
                events);
        }

        context.Items[AuditTrail.RecordedKey] = true;
        var caller = context.RequestServices.GetRequiredService<TenantContext>();
        return new ChangeRecord(AuditTrail.Entry(context, caller, time.GetUtcNow(), tenantId, target, AuditOutcomes.Succeeded, status: null), events);
    }

    /// <summary>What a tenant database opened for a request writes with each change it makes: a succeeded entry of <paramref name="tenantId"/>.</summary>
    public DataPlaneAudit DataPlane(string tenantId) => () => Of(tenantId, null, "change").Audit;
}
