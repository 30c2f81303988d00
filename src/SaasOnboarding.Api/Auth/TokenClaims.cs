using System.Security.Claims;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Auth;

/// <summary>Claim names of Cognito ID tokens; JwtBearer keeps them as they are (MapInboundClaims = false).</summary>
public static class TokenClaims
{
    public const string UserName = "cognito:username";
    public const string TenantId = "custom:tenantId";
    public const string UserRole = "custom:userRole";
    public const string Groups = "cognito:groups";
    public const string TokenUse = "token_use";

    /// <summary>
    /// The pool whose JwtBearer scheme verified the token. It is the identity's authentication type, set by the
    /// scheme, so a claim inside the token cannot forge it.
    /// </summary>
    public static UserPool? PoolOf(ClaimsIdentity identity) => identity.AuthenticationType switch
    {
        AuthSetup.OperationsScheme => UserPool.Operations,
        AuthSetup.TenantScheme => UserPool.Tenant,
        _ => null,
    };

    public static UserPool? PoolOf(ClaimsPrincipal user) =>
        user.Identities.Select(PoolOf).FirstOrDefault(pool => pool is not null);
}
