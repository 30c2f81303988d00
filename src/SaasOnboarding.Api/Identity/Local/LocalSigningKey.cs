using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local identity provider's RS256 keys, one per user pool (each with its own <c>kid</c>), so that a token one
/// pool signed never verifies as the other's. They persist in the data directory so that tokens survive a
/// restart: the tenant pool's is <c>local-idp-signing-key.pem</c> (so a data directory holding only that file keeps
/// its live tenant tokens valid), the operations pool's is <c>local-idp-operations-signing-key.pem</c>, made when
/// first needed.
/// </summary>
public sealed class LocalSigningKey(string dataDirectory) : IDisposable
{
    public const string TenantKeyFile = "local-idp-signing-key.pem";
    public const string OperationsKeyFile = "local-idp-operations-signing-key.pem";

    /// <summary>
    /// Read (on a first start: made and written) when first used, not at start: it loads OpenSSL and IdentityModel,
    /// which lengthens a cold start, and a health check needs none of it.
    /// </summary>
    private readonly Lazy<PoolSigningKey> _tenant = new(() => PoolSigningKey.Load(dataDirectory, TenantKeyFile));

    private readonly Lazy<PoolSigningKey> _operations = new(() => PoolSigningKey.Load(dataDirectory, OperationsKeyFile));

    /// <summary>The key that signs, and alone verifies, this pool's tokens.</summary>
    public PoolSigningKey For(UserPool pool) => pool == UserPool.Operations ? _operations.Value : _tenant.Value;

    public void Dispose()
    {
        foreach (var key in new[] { _tenant, _operations })
        {
            if (key.IsValueCreated)
            {
                key.Value.Rsa.Dispose();
            }
        }
    }
}

/// <summary>One pool's RS256 key pair and its key id (derived from the public modulus).</summary>
public sealed class PoolSigningKey
{
    private PoolSigningKey(RSA rsa)
    {
        Rsa = rsa;
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportParameters(false).Modulus!))[..16];
        PrivateKey = new RsaSecurityKey(rsa) { KeyId = KeyId };
        PublicKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = KeyId };
        Credentials = new SigningCredentials(PrivateKey, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    public RsaSecurityKey PrivateKey { get; }

    public RsaSecurityKey PublicKey { get; }

    public SigningCredentials Credentials { get; }

    internal RSA Rsa { get; }

    /// <summary>The public key as a JWKS document's key.</summary>
    public object Jwk()
    {
        var parameters = Rsa.ExportParameters(false);
        return new
        {
            kty = "RSA",
            alg = "RS256",
            use = "sig",
            kid = KeyId,
            n = Base64UrlEncoder.Encode(parameters.Modulus),
            e = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    internal static PoolSigningKey Load(string dataDirectory, string fileName)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, fileName);
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            rsa.KeySize = 2048;
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, path, overwrite: true);
        }

        return new PoolSigningKey(rsa);
    }
}
