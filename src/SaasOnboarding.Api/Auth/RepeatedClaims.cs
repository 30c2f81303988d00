using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Auth;

/// <summary>
/// Finds a claim that a token states more than once: a name repeated in the payload's JSON object, or an array
/// where the claim holds one value (an array becomes one claim per element, and code reading "the" value would
/// pick one of them). Either makes the token ambiguous, so it is refused, whoever signed it.
/// </summary>
public static class RepeatedClaims
{
    /// <summary>
    /// Claims that hold exactly one value in a Cognito ID token. Not <c>sub</c>, <c>jti</c>, <c>iss</c>, <c>exp</c>,
    /// <c>nbf</c> or <c>iat</c>: IdentityModel reads each as a single value and refuses a token with an array in one
    /// before validation (RepeatedClaimTests proves it). <c>aud</c> may be an array in a JWT, not in Cognito's.
    /// </summary>
    private static readonly HashSet<string> SingleValued = new(StringComparer.Ordinal)
    {
        TokenClaims.UserName, TokenClaims.TenantId, TokenClaims.UserRole, TokenClaims.TokenUse, "aud", "auth_time", "email",
    };

    /// <summary>The first repeated claim's name, or null when every claim is stated once.</summary>
    public static string? Find(JsonWebToken token)
    {
        var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // The payload's opening brace: IdentityModel read the payload as a JSON object before validation.
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name))
            {
                return name;
            }

            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray && SingleValued.Contains(name))
            {
                return name;
            }

            reader.Skip();
        }

        return null;
    }
}
