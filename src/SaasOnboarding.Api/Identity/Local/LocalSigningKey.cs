using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local identity provider's RS256 key. It persists in the data directory so that tokens survive a restart.
/// </summary>
public sealed class LocalSigningKey : IDisposable
{
    private readonly RSA _rsa;

    public LocalSigningKey(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "local-idp-signing-key.pem");
        _rsa = RSA.Create();
        if (File.Exists(path))
        {
            _rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            _rsa.KeySize = 2048;
            var pem = _rsa.ExportPkcs8PrivateKeyPem();
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, path, overwrite: true);
        }

        var modulus = _rsa.ExportParameters(false).Modulus!;
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(modulus))[..16];
        PrivateKey = new RsaSecurityKey(_rsa) { KeyId = KeyId };
        PublicKey = new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = KeyId };
        Credentials = new SigningCredentials(PrivateKey, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    public RsaSecurityKey PrivateKey { get; }

    public RsaSecurityKey PublicKey { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>The public key as a JWKS document's single key.</summary>
    public object Jwk()
    {
        var parameters = _rsa.ExportParameters(false);
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

    public void Dispose() => _rsa.Dispose();
}
