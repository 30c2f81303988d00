namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A tenant's offboarding, from its start until it is cancelled; a purged tenant's tombstone keeps it.
/// <paramref name="StatusBefore"/> is the status cancelling restores (<see cref="TenantStates.CancelledTo"/>).
/// </summary>
public sealed record TenantOffboarding(
    DateTimeOffset StartedAt,
    DateTimeOffset PurgeAfter,
    string StartedBy,
    string StartedByRole,
    TenantStatus StatusBefore);
