using System.Security.Cryptography;
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
    
    private readonly Func<CancellationToken, ValueTask<byte[]>> _key;

    public WebhookSecrets(IOptions<WebhookOptions> options, IConfiguration configuration, IHostEnvironment environment, IServiceProvider services)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.SecretKeyParameterName))
        {
            var secret = StartupSecret.FromParameter(settings.SecretKeyParameterName, services.GetRequiredService<ISecureParameterReader>());
            _key = async cancellationToken => SecretBox.DecodeKey(await secret.GetAsync(cancellationToken), $"the parameter {settings.SecretKeyParameterName}");
        }
        else if (!string.IsNullOrWhiteSpace(settings.SecretKey))
        {
            var key = SecretBox.DecodeKey(settings.SecretKey, $"{WebhookOptions.Section}:SecretKey");
            _key = _ => ValueTask.FromResult(key);
        }
        else
        {
            // The setting itself, not the embedded store's options, which only that store binds.
            var directory = configuration[$"{EmbeddedStorageOptions.Section}:DataDirectory"] is { Length: > 0 } set ? set : new EmbeddedStorageOptions().DataDirectory;
            var path = Path.Combine(Path.GetFullPath(directory, environment.ContentRootPath), KeyFile);
            var key = new Lazy<byte[]>(() => SecretBox.LoadOrMakeKeyFile(path));
            _key = _ => ValueTask.FromResult(key.Value);
        }
    }

    /// <summary>A new signing secret.</summary>
    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The bytes an HMAC signs with: the base64 after the prefix.</summary>
    public static byte[] SigningKey(string secret) => Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);

    public async ValueTask<string> ProtectAsync(string endpointId, string secret, CancellationToken cancellationToken) =>
        Version + SecretBox.Seal(await _key(cancellationToken), secret, endpointId);

    public async ValueTask<string> UnprotectAsync(string endpointId, string stored, CancellationToken cancellationToken) =>
        (stored.StartsWith(Version, StringComparison.Ordinal) ? SecretBox.Open(await _key(cancellationToken), stored[Version.Length..], endpointId) : null)
        ?? throw new CryptographicException("The stored webhook secret is not in a known form or was sealed with another key.");
}
