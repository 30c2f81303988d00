using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local identity provider's RS256 key. It persists in the data directory so that tokens survive a restart.
/// </summary>
public sealed class LocalSigningKey(string dataDirectory) : IDisposable
{
    /// <summary>
    /// Read (on a first start: made and written) when first used, not at start: with OpenSSL and IdentityModel it
    /// took ~60–100 ms of a cold start (docs/performance.md), and a health check needs none of it.
    /// </summary>
    private readonly Lazy<Loaded> _loaded = new(() => Load(dataDirectory));

    public string KeyId => _loaded.Value.KeyId;

    public RsaSecurityKey PrivateKey => _loaded.Value.PrivateKey;

    public RsaSecurityKey PublicKey => _loaded.Value.PublicKey;

    public SigningCredentials Credentials => _loaded.Value.Credentials;

    /// <summary>The public key as a JWKS document's single key.</summary>
    public object Jwk()
    {
        var parameters = _loaded.Value.Rsa.ExportParameters(false);
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

    public void Dispose()
    {
        if (_loaded.IsValueCreated)
        {
            _loaded.Value.Rsa.Dispose();
        }
    }

    private static Loaded Load(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "local-idp-signing-key.pem");
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

        var keyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportParameters(false).Modulus!))[..16];
        var privateKey = new RsaSecurityKey(rsa) { KeyId = keyId };
        return new Loaded(rsa, keyId, privateKey, new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = keyId },
            new SigningCredentials(privateKey, SecurityAlgorithms.RsaSha256));
    }

    private sealed record Loaded(RSA Rsa, string KeyId, RsaSecurityKey PrivateKey, RsaSecurityKey PublicKey, SigningCredentials Credentials);
}
