using System.Security.Cryptography;
using System.Text;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// Encrypts the secrets the local provider must read back (TOTP secrets) with AES-GCM, under a 256-bit key kept
/// beside the signing keys in <c>local-idp-secret-key</c>, readable by its owner only, made when first needed. A
/// copy of <c>local-idp.db</c> alone holds no usable secret.
/// </summary>
public sealed class LocalSecretKey(string dataDirectory)
{
    public const string FileName = "local-idp-secret-key";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Lazy<byte[]> _key = new(() => Load(dataDirectory));

    /// <summary>Base64 of nonce, tag and ciphertext; <paramref name="context"/> (the pool and user) is bound to it, so a row copied to another user does not decrypt.</summary>
    public string Protect(string plaintext, string context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key.Value, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext, or null for data this key did not seal for <paramref name="context"/>.</summary>
    public string? Unprotect(string protectedText, string context)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(protectedText);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var data = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key.Value, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), data, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(data);
    }

    private static byte[] Load(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Two apps starting on one directory: the first file wins, and both read it.
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
