using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Testing;

/// <summary>What a minted ID token says about its user: what the directory holds about it.</summary>
/// <param name="Sub">The user's subject; the directory's own is not readable through the API, so callers pass a fresh id.</param>
/// <param name="Groups">The user's groups (<c>cognito:groups</c>), left out when empty, as the provider does.</param>
internal sealed record MintedUser(string UserName, string Email, string? TenantId, string? UserRole, IReadOnlyList<string> Groups, string Sub);

/// <summary>
/// Signs ID and access tokens for one user pool of the local identity provider exactly as its sign-in does (same
/// header, <c>kid</c>, issuer, audience, and the claims the app's <see cref="LocalTokenClaims"/> shapes), with that
/// pool's key read from the app's data directory.
/// The tests and the benchmark share this one minter: both need tokens for many users, and a sign-in costs
/// password hashes that neither is about. The app validates a minted token with the same checks as any other,
/// including the directory check of the user it names, so it is honoured only for a user that exists and is enabled.
/// </summary>
internal sealed class LocalTokenMinter : IDisposable
{
    /// <summary>The tenant pool's key in the data directory (the app's <c>LocalSigningKey.TenantKeyFile</c>).</summary>
    public const string TenantKeyFile = "local-idp-signing-key.pem";

    /// <summary>The operations pool's key in the data directory (the app's <c>LocalSigningKey.OperationsKeyFile</c>).</summary>
    public const string OperationsKeyFile = "local-idp-operations-signing-key.pem";

    private readonly RSA _rsa = RSA.Create();

    /// <param name="keyFile">The pool's key file, <see cref="TenantKeyFile"/> or <see cref="OperationsKeyFile"/>; it must exist.</param>
    /// <param name="issuer">The pool's issuer: <c>{Identity:Local:IssuerBaseUrl}/local-idp/{poolId}</c>.</param>
    /// <param name="clientId">The pool's app client: the ID token's audience.</param>
    public LocalTokenMinter(string dataDirectory, string keyFile, string issuer, string clientId)
    {
        _rsa.ImportFromPem(File.ReadAllText(Path.Combine(dataDirectory, keyFile)));
        KeyId = Base64Url(SHA256.HashData(_rsa.ExportParameters(false).Modulus!))[..16];
        Issuer = issuer;
        ClientId = clientId;
    }

    /// <summary>The key id the app derives from the key's public modulus.</summary>
    public string KeyId { get; }

    public string Issuer { get; }

    public string ClientId { get; }

    /// <summary>The tenant pool's minter, for the app's defaults unless told otherwise.</summary>
    /// <param name="issuerBaseUrl">The app's <c>Identity:Local:IssuerBaseUrl</c>.</param>
    public static LocalTokenMinter ForTenantPool(string dataDirectory, string issuerBaseUrl, string poolId = "local_tenant", string clientId = "local-tenant-client") =>
        new(dataDirectory, TenantKeyFile, LocalTokenClaims.Issuer(issuerBaseUrl, poolId), clientId);

    /// <summary>The operations pool's minter, for the app's defaults unless told otherwise.</summary>
    /// <param name="issuerBaseUrl">The app's <c>Identity:Local:IssuerBaseUrl</c>.</param>
    public static LocalTokenMinter ForOperationsPool(string dataDirectory, string issuerBaseUrl, string poolId = "local_operations", string clientId = "local-operations-client") =>
        new(dataDirectory, OperationsKeyFile, LocalTokenClaims.Issuer(issuerBaseUrl, poolId), clientId);

    /// <summary>An ID token, valid from <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public string IdToken(MintedUser user, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = LocalTokenClaims.Id(user.Sub, user.UserName, user.Email, user.TenantId, user.UserRole, user.Groups, now);
        claims["aud"] = ClientId;
        return Sign(claims, now, lifetime);
    }

    /// <summary>The access token the same sign-in issues alongside (no audience; <c>client_id</c> names the client).</summary>
    public string AccessToken(MintedUser user, DateTimeOffset now, TimeSpan lifetime) =>
        Sign(LocalTokenClaims.Access(user.Sub, user.UserName, ClientId, now), now, lifetime);

    public void Dispose() => _rsa.Dispose();

    private string Sign(Dictionary<string, object> claims, DateTimeOffset now, TimeSpan lifetime)
    {
        var issuedAt = now.ToUnixTimeSeconds();
        claims["iss"] = Issuer;
        claims["iat"] = issuedAt;
        claims["nbf"] = issuedAt;
        claims["exp"] = (now + lifetime).ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = KeyId, ["typ"] = "JWT" });
        var signingInput = Base64Url(header) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
