using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Webhooks;

/// <summary>
/// The endpoints' signing secrets: made here (<c>whsec_</c> and 32 random bytes in base64, as Standard Webhooks
/// writes them), kept encrypted (AES-256-GCM, the endpoint's id as associated data, so a stored secret copied to
/// another endpoint does not decrypt). The key is <see cref="WebhookOptions.SecretKey"/>, or the SecureString named by
/// <see cref="WebhookOptions.SecretKeyParameterName"/>, or else a key file made in the directory <c>Storage:Embedded:DataDirectory</c> names, whatever the store.
/// </summary>
public sealed class WebhookSecrets
{
    public const string Prefix = "whsec_";
    public const string KeyFile = "webhook-secret.key";
    private const string Version = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Func<CancellationToken, ValueTask<byte[]>> _key;

    public WebhookSecrets(IOptions<WebhookOptions> options, IConfiguration configuration, IHostEnvironment environment, IServiceProvider services)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.SecretKeyParameterName))
        {
            var secret = StartupSecret.FromParameter(settings.SecretKeyParameterName, services.GetRequiredService<ISecureParameterReader>());
            _key = async cancellationToken => Decode(await secret.GetAsync(cancellationToken), $"the parameter {settings.SecretKeyParameterName}");
        }
        else if (!string.IsNullOrWhiteSpace(settings.SecretKey))
        {
            var key = Decode(settings.SecretKey, $"{WebhookOptions.Section}:SecretKey");
            _key = _ => ValueTask.FromResult(key);
        }
        else
        {
            // The setting itself, not the embedded store's options, which only that store binds.
            var directory = configuration[$"{EmbeddedStorageOptions.Section}:DataDirectory"] is { Length: > 0 } set ? set : new EmbeddedStorageOptions().DataDirectory;
            var path = Path.Combine(Path.GetFullPath(directory, environment.ContentRootPath), KeyFile);
            var key = new Lazy<byte[]>(() => LoadOrMake(path));
            _key = _ => ValueTask.FromResult(key.Value);
        }
    }

    /// <summary>A new signing secret.</summary>
    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The bytes an HMAC signs with: the base64 after the prefix.</summary>
    public static byte[] SigningKey(string secret) => Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);

    public async ValueTask<string> ProtectAsync(string endpointId, string secret, CancellationToken cancellationToken)
    {
        using var aes = new AesGcm(await _key(cancellationToken), TagSize);
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(endpointId));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    public async ValueTask<string> UnprotectAsync(string endpointId, string stored, CancellationToken cancellationToken)
    {
        if (!stored.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("The stored webhook secret is not in a known form.");
        }

        var sealedBytes = Convert.FromBase64String(stored[Version.Length..]);
        using var aes = new AesGcm(await _key(cancellationToken), TagSize);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(endpointId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Decode(string text, string source)
    {
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            if (key.Length == 32)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException($"The webhook secret key ({source}) must be 32 bytes in base64.");
    }

    private static byte[] LoadOrMake(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var made = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(made, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(made, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                // Of two processes making it at once, one's move wins and the other reads what it wrote.
                File.Move(made, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(made);
            }
        }

        return Decode(File.ReadAllText(path), path);
    }
}
