namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Marks a request whose token was valid but whose caller <see cref="CallerCheck"/> revoked, so that the bearer
/// challenge names the token invalid (RFC 6750) as it does for a token that failed validation.
/// </summary>
public sealed class RevokedToken
{
    public static readonly RevokedToken Instance = new();

    private RevokedToken()
    {
    }
}
