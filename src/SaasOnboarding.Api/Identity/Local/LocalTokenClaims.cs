namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The claims of the local identity provider's tokens, shaped like Cognito's. The tests' and the benchmark's token
/// minter compiles this file too, so a minted token has the shape a sign-in issues; it therefore needs nothing
/// beyond the base library.
/// </summary>
public static class LocalTokenClaims
{
    /// <summary>A pool's issuer: <c>{issuerBaseUrl}/local-idp/{poolId}</c>.</summary>
    public static string Issuer(string issuerBaseUrl, string poolId) => issuerBaseUrl.TrimEnd('/') + "/local-idp/" + poolId;

    /// <summary>
    /// An ID token's claims; <c>custom:tenantId</c>, <c>custom:userRole</c> and <c>cognito:groups</c> are left out
    /// when the user has none, as Cognito does. Issuer, audience and times are the signer's.
    /// </summary>
    /// <param name="sub">The user's subject.</param>
    /// <param name="userName">The user's name (<c>cognito:username</c>).</param>
    /// <param name="email">The user's email address.</param>
    /// <param name="tenantId">The user's tenant, if any.</param>
    /// <param name="userRole">The user's role, if any.</param>
    /// <param name="groups">The user's groups.</param>
    /// <param name="authTime">When the user signed in.</param>
    public static Dictionary<string, object> Id(
        string sub, string userName, string email, string? tenantId, string? userRole, IReadOnlyCollection<string> groups, DateTimeOffset authTime)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = sub,
            ["cognito:username"] = userName,
            ["email"] = email,
            ["email_verified"] = true,
            ["token_use"] = "id",
            ["auth_time"] = authTime.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (tenantId is not null)
        {
            claims["custom:tenantId"] = tenantId;
        }

        if (userRole is not null)
        {
            claims["custom:userRole"] = userRole;
        }

        if (groups.Count > 0)
        {
            claims["cognito:groups"] = groups;
        }

        return claims;
    }

    /// <summary>The claims of the access token issued alongside: no audience; <c>client_id</c> names the client.</summary>
    /// <param name="sub">The user's subject.</param>
    /// <param name="userName">The user's name (<c>username</c>).</param>
    /// <param name="clientId">The pool's app client.</param>
    /// <param name="authTime">When the user signed in.</param>
    public static Dictionary<string, object> Access(string sub, string userName, string clientId, DateTimeOffset authTime) => new()
    {
        ["sub"] = sub,
        ["username"] = userName,
        ["client_id"] = clientId,
        ["token_use"] = "access",
        ["scope"] = "aws.cognito.signin.user.admin",
        ["auth_time"] = authTime.ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString(),
    };
}
