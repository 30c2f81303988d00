using System.Text.Json;
using System.Text.Json.Serialization;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Audit;

/// <summary>
/// The lifecycle events a change writes to the outbox (docs/audit-and-events.md): their CloudEvents types and their
/// <c>data</c>. The data names the tenant or user and what changed, never contact details, passwords or tokens.
/// </summary>
public static class LifecycleEvents
{
    public const string TenantRegistered = "saasonboarding.tenant.registered";
    public const string TenantUpdated = "saasonboarding.tenant.updated";
    public const string TenantTierChanged = "saasonboarding.tenant.tier_changed";
    public const string TenantDeactivated = "saasonboarding.tenant.deactivated";
    public const string TenantActivated = "saasonboarding.tenant.activated";
    public const string TenantOffboardingStarted = "saasonboarding.tenant.offboarding_started";
    public const string TenantOffboardingCancelled = "saasonboarding.tenant.offboarding_cancelled";
    public const string TenantPurged = "saasonboarding.tenant.purged";
    public const string UserCreated = "saasonboarding.user.created";
    public const string UserRoleChanged = "saasonboarding.user.role_changed";
    public const string UserDisabled = "saasonboarding.user.disabled";
    public const string UserEnabled = "saasonboarding.user.enabled";
    public const string UserRemoved = "saasonboarding.user.removed";

    /// <summary>Every type above, in that order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        TenantRegistered, TenantUpdated, TenantTierChanged, TenantDeactivated, TenantActivated, TenantOffboardingStarted,
        TenantOffboardingCancelled, TenantPurged, UserCreated, UserRoleChanged, UserDisabled, UserEnabled, UserRemoved,
    ];

    /// <summary>An event about a tenant, at <paramref name="time"/>.</summary>
    public static LifecycleEvent Tenant(string type, DateTimeOffset time, TenantEventData data) =>
        New(type, data.TenantId, time, JsonSerializer.Serialize(data, EventJson.Default.TenantEventData));

    /// <summary>An event about a user of a tenant, at <paramref name="time"/>.</summary>
    public static LifecycleEvent User(string type, DateTimeOffset time, UserEventData data) =>
        New(type, data.TenantId, time, JsonSerializer.Serialize(data, EventJson.Default.UserEventData));

    private static LifecycleEvent New(string type, string tenantId, DateTimeOffset time, string data) =>
        new(Guid.CreateVersion7(time).ToString(), type, tenantId, StoredTime.Truncate(time), data);
}

/// <summary>
/// The <c>data</c> of a tenant event: the tenant, and what the change made of it (null fields are left out).
/// <see cref="Changed"/> names the fields an update wrote.
/// </summary>
public sealed record TenantEventData(
    string TenantId,
    string? TenantName = null,
    string? TenantTier = null,
    string? Status = null,
    DateTimeOffset? PurgeAfter = null,
    IReadOnlyList<string>? Changed = null);

/// <summary>The <c>data</c> of a user event: the user, its tenant and (when it has one) its role.</summary>
public sealed record UserEventData(string TenantId, string UserName, string? UserRole = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TenantEventData))]
[JsonSerializable(typeof(UserEventData))]
internal sealed partial class EventJson : JsonSerializerContext;
