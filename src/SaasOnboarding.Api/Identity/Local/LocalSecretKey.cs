using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// Seals the secrets the local provider must read back (TOTP secrets) with <see cref="SecretBox"/>, under a key kept
/// beside the signing keys in <c>local-idp-secret-key</c>, readable by its owner only, made when first needed. A
/// copy of <c>local-idp.db</c> alone holds no usable secret.
/// </summary>
public sealed class LocalSecretKey(string dataDirectory)
{
    public const string FileName = "local-idp-secret-key";

    private readonly Lazy<byte[]> _key = new(() => SecretBox.LoadOrMakeKeyFile(Path.Combine(dataDirectory, FileName)));

    /// <summary><paramref name="context"/> (the pool and user) is bound to it, so a row copied to another user does not decrypt.</summary>
    public string Protect(string plaintext, string context) => SecretBox.Seal(_key.Value, plaintext, context);

    /// <summary>The plaintext, or null for data this key did not seal for <paramref name="context"/>.</summary>
    public string? Unprotect(string protectedText, string context) => SecretBox.Open(_key.Value, protectedText, context);
}
