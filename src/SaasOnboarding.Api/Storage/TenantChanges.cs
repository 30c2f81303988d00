namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The descriptive fields an update writes; a null field is not written and keeps its stored value, whatever a
/// concurrent update writes to it.
/// </summary>
public sealed record TenantChanges(
    string? TenantName = null,
    string? TenantEmail = null,
    string? TenantPhone = null,
    string? TenantAddress = null,
    string? TenantTier = null);
