using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SaasOnboarding.Bench;

/// <summary>
/// Signs ID tokens for seeded tenant admins with the local identity provider's key from the app's data
/// directory, shaped exactly like the tokens its /auth/signin issues (same issuer, audience, kid and claims).
/// Signing in 1,000 admins through the API would cost three password hashes each and measure nothing the
/// read benchmark is about; the app validates these tokens with the same full checks as any other.
/// </summary>
internal sealed class TokenMinter : IDisposable
{
    private readonly RSA _rsa = RSA.Create();
    private readonly string _keyId;
    private readonly string _issuer;
    private readonly string _audience;

    public TokenMinter(string dataDirectory, Uri issuerBase, string tenantPoolId = "local_tenant", string tenantClientId = "local-tenant-client")
    {
        _rsa.ImportFromPem(File.ReadAllText(Path.Combine(dataDirectory, "local-idp-signing-key.pem")));
        _keyId = Base64Url(SHA256.HashData(_rsa.ExportParameters(false).Modulus!))[..16];
        _issuer = issuerBase.ToString().TrimEnd('/') + "/local-idp/" + tenantPoolId;
        _audience = tenantClientId;
    }

    public string TenantAdminIdToken(string tenantId, string userName, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = _keyId, ["typ"] = "JWT" });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["cognito:username"] = userName,
            ["email"] = $"owner-{tenantId}@bench.test",
            ["email_verified"] = true,
            ["token_use"] = "id",
            ["auth_time"] = now,
            ["jti"] = Guid.NewGuid().ToString(),
            ["custom:tenantId"] = tenantId,
            ["custom:userRole"] = "TenantAdmin",
            ["cognito:groups"] = new[] { tenantId },
            ["iss"] = _issuer,
            ["aud"] = _audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        });
        var signingInput = Base64Url(header) + "." + Base64Url(payload);
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose() => _rsa.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
