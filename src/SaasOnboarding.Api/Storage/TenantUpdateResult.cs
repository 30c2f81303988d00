namespace SaasOnboarding.Api.Storage;

/// <summary>How a write to a tenant ended; <see cref="Tenant"/> is the tenant as stored after an update, else null.</summary>
public sealed record TenantUpdateResult(TenantUpdateOutcome Outcome, Tenant? Tenant)
{
    public static readonly TenantUpdateResult NotFound = new(TenantUpdateOutcome.NotFound, null);
    public static readonly TenantUpdateResult NameTaken = new(TenantUpdateOutcome.NameTaken, null);
    public static readonly TenantUpdateResult VersionMismatch = new(TenantUpdateOutcome.VersionMismatch, null);
    public static readonly TenantUpdateResult NotAllowed = new(TenantUpdateOutcome.NotAllowed, null);
}
