namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// The tenant's access revision had moved on, and at the new one the request's caller is decided
/// <see cref="Verdict"/>, not what the request went on with: a revoked caller, an inactive tenant, another role or
/// tier.
/// </summary>
public sealed class AccessChangedException(CallerVerdict verdict) : Exception("The caller's access changed during the request.")
{
    public CallerVerdict Verdict { get; } = verdict;
}
