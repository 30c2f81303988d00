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
    /// <summary>Claims that hold exactly one value in a Cognito ID token.</summary>
    private static readonly HashSet<string> SingleValued = new(StringComparer.Ordinal)
    {
        TokenClaims.UserName, TokenClaims.TenantId, TokenClaims.UserRole, TokenClaims.TokenUse,
        "sub", "aud", "auth_time", "email", "jti",

        // Stryker disable once String : validation itself refuses an array in these, before this check.
        "iss", "exp", "nbf", "iat",
    };

    /// <summary>The first repeated claim's name, or null when every claim is stated once.</summary>
    public static string? Find(JsonWebToken token)
    {
        var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Stryker disable once String,Block : a token whose payload is not a JSON object never passes validation to get here.
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "payload";
        }

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
