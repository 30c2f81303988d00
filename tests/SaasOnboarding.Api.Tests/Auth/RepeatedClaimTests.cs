using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>
/// A token that states a claim twice is ambiguous (which value counts depends on who reads it), so it is refused
/// even when the pool signed it: as an array where one value belongs, or as a name repeated in the payload.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class RepeatedClaimTests(EmbeddedApp app)
{
    private const string TenantIssuer = "http://localhost:5080/local-idp/local_tenant";
    private const string TenantClient = "local-tenant-client";

    public static TheoryData<string> RepeatedClaims() => ["custom:userRole", "custom:tenantId", "cognito:username", "token_use"];

    [Theory]
    [MemberData(nameof(RepeatedClaims))]
    public async Task AClaimStatedAsTwoValuesIsRefused(string claim)
    {
        var (user, claims) = await TenantUserAsync();
        var second = claim switch
        {
            "custom:userRole" => "TenantAdmin",
            "custom:tenantId" => (await app.OnboardAsync()).TenantId,
            "cognito:username" => "someone-else",
            _ => "access",
        };
        var repeated = new Dictionary<string, object>(claims) { [claim] = new[] { (string)claims[claim], second } };

        using (var genuine = app.Client(Sign(claims)))
        {
            await (await genuine.GetAsync($"/user/{user}")).ShouldBe(HttpStatusCode.OK);
        }

        using var client = app.Client(Sign(repeated));
        await (await client.GetAsync($"/user/{user}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(RepeatedClaims))]
    public async Task AClaimNamedTwiceInThePayloadIsRefused(string claim)
    {
        var (user, claims) = await TenantUserAsync();
        var now = DateTimeOffset.UtcNow;
        var payload = new StringBuilder("{");
        foreach (var (name, value) in claims)
        {
            payload.Append(JsonSerializer.Serialize(name)).Append(':').Append(JsonSerializer.Serialize(value)).Append(',');
        }

        // The repeat carries the same value: even an agreeing repeat is refused, as no reader should have to choose.
        payload.Append(JsonSerializer.Serialize(claim)).Append(':').Append(JsonSerializer.Serialize(claims[claim])).Append(',');
        payload.Append($"\"iss\":\"{TenantIssuer}\",\"aud\":\"{TenantClient}\",\"iat\":{now.ToUnixTimeSeconds() - 60},\"nbf\":{now.ToUnixTimeSeconds() - 60},\"exp\":{now.AddHours(1).ToUnixTimeSeconds()}}}");

        using var client = app.Client(SignRaw(payload.ToString()));
        await (await client.GetAsync($"/user/{user}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// The registered claims that hold one value, as arrays, are refused: <c>email</c>, <c>auth_time</c> and
    /// <c>aud</c> by the check itself (an array in <c>aud</c> is otherwise valid JWT, and would pass validation if one
    /// audience matched), the others already where IdentityModel reads the token, which the check relies on.
    /// </summary>
    [Theory]
    [InlineData("sub", "[\"a\",\"b\"]")]
    [InlineData("email", "[\"a@example.com\",\"b@example.com\"]")]
    [InlineData("jti", "[\"1\",\"2\"]")]
    [InlineData("auth_time", "[1,2]")]
    [InlineData("aud", "[\"" + TenantClient + "\",\"someone-elses-client\"]")]
    [InlineData("iss", "[\"" + TenantIssuer + "\",\"https://issuer.example\"]")]
    [InlineData("exp", "[4102444800,4102444801]")]
    [InlineData("nbf", "[0,1]")]
    [InlineData("iat", "[0,1]")]
    public async Task ARegisteredClaimStatedAsAnArrayIsRefused(string claim, string array)
    {
        var (user, claims) = await TenantUserAsync();
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["iss"] = JsonSerializer.Serialize(TenantIssuer),
            ["aud"] = JsonSerializer.Serialize(TenantClient),
            ["iat"] = (now.ToUnixTimeSeconds() - 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["nbf"] = (now.ToUnixTimeSeconds() - 60).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in claims)
        {
            payload[name] = JsonSerializer.Serialize(value);
        }

        string Json() => "{" + string.Join(",", payload.Select(pair => JsonSerializer.Serialize(pair.Key) + ":" + pair.Value)) + "}";
        using (var genuine = app.Client(SignRaw(Json())))
        {
            await (await genuine.GetAsync($"/user/{user}")).ShouldBe(HttpStatusCode.OK);
        }

        payload[claim] = array;
        using var client = app.Client(SignRaw(Json()));
        await (await client.GetAsync($"/user/{user}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>A tenant user of a new tenant and the claims of its ID token.</summary>
    private async Task<(string UserName, Dictionary<string, object> Claims)> TenantUserAsync()
    {
        var tenant = await app.OnboardAsync();
        var userName = "repeat-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        return (userName, new Dictionary<string, object>
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["cognito:username"] = userName,
            ["token_use"] = "id",
            ["custom:tenantId"] = tenant.TenantId,
            ["custom:userRole"] = "TenantUser",
        });
    }

    private PoolSigningKey Key => app.Services.GetRequiredService<LocalSigningKey>().For(UserPool.Tenant);

    private string Sign(Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TenantIssuer,
        Audience = TenantClient,
        Claims = claims,
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = Key.Credentials,
    });

    /// <summary>RS256 over a payload written by hand, which a JSON serializer would never repeat a name in.</summary>
    private string SignRaw(string payloadJson)
    {
        var header = Base64UrlEncoder.Encode($$"""{"alg":"RS256","kid":"{{Key.KeyId}}","typ":"JWT"}""");
        var body = Base64UrlEncoder.Encode(payloadJson);
        var signature = Key.PrivateKey.Rsa.SignData(Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + body + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>
    /// The check on payloads alone: a claim that may hold several values (<c>cognito:groups</c>) may be an array, a
    /// nested object is not looked into, and the scan goes on past both to the claims after them.
    /// </summary>
    [Theory]
    [InlineData("""{"cognito:groups":["a","b"],"custom:userRole":"TenantUser"}""", null)]
    [InlineData("""{"cognito:groups":["a","b"],"custom:userRole":"TenantUser","custom:userRole":"TenantAdmin"}""", "custom:userRole")]
    [InlineData("""{"address":{"custom:tenantId":"a"},"custom:tenantId":["a","b"]}""", "custom:tenantId")]
    public void ARepeatIsFoundPastMultiValuedClaimsAndNestedObjects(string payload, string? repeated)
    {
        var token = new JsonWebToken(Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(payload) + ".c2ln");

        Assert.Equal(repeated, SaasOnboarding.Api.Auth.RepeatedClaims.Find(token));
    }
}
