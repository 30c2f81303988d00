namespace SaasOnboarding.Api.Tenancy;

/// <summary>Where a request's caller stands, as <see cref="CallerCheck"/> decides it.</summary>
public enum CallerStanding
{
    /// <summary>No verified token: the endpoint's policy decides.</summary>
    Anonymous,

    /// <summary>A user the directory still honours, of an active tenant (or provider staff).</summary>
    Allowed,

    /// <summary>The token's user is disabled, removed, or no longer belongs to the token's tenant: 401.</summary>
    Revoked,

    /// <summary>The token's tenant is inactive or gone: 403.</summary>
    TenantInactive,
}
