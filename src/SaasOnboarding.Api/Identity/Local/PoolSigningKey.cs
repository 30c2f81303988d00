using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>One pool's RS256 key pair and its key id (derived from the public modulus).</summary>
public sealed class PoolSigningKey
{
    private PoolSigningKey(RSA rsa)
    {
        Rsa = rsa;
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportParameters(false).Modulus!))[..16];
        // A factory of its own: IdentityModel's process-wide one caches a signer per key material, which would
        // outlive this RSA (disposed with the app) and fail the next app in the process that loads the same key.
        PrivateKey = new RsaSecurityKey(rsa) { KeyId = KeyId, CryptoProviderFactory = new CryptoProviderFactory() };
        PublicKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = KeyId };
        Credentials = new SigningCredentials(PrivateKey, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    public RsaSecurityKey PrivateKey { get; }

    public RsaSecurityKey PublicKey { get; }

    public SigningCredentials Credentials { get; }

    internal RSA Rsa { get; }

    /// <summary>The public key as a JWKS document's key.</summary>
    public PublicJwk Jwk()
    {
        var parameters = Rsa.ExportParameters(false);
        return new PublicJwk("RSA", "RS256", "sig", KeyId, Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
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
