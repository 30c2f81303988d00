using System.Security.Cryptography;
using System.Text;

namespace SaasOnboarding.Api.Secrets;

/// <summary>
/// Secrets the service must read back (TOTP secrets, webhook signing secrets), sealed with AES-256-GCM under a key of
/// its own, with a context (the owner of the secret) bound as associated data, so a sealed value copied to another
/// owner does not open; and the owner-only key file such a key lives in when no setting supplies one.
/// </summary>
public static class SecretBox
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Base64 of nonce, tag and ciphertext.</summary>
    public static string Seal(byte[] key, string plaintext, string context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext, or null for text this key did not seal for <paramref name="context"/>.</summary>
    public static string? Open(byte[] key, string sealedText, string context)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedText);
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
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), data, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(data);
    }

    /// <summary>A key in base64, refused unless it is <see cref="KeySize"/> bytes; <paramref name="source"/> names where it came from.</summary>
    public static byte[] DecodeKey(string text, string source)
    {
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            if (key.Length == KeySize)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException($"The key in {source} must be {KeySize} bytes in base64.");
    }

    /// <summary>The key in the file at <paramref name="path"/>, made (readable by its owner only) when missing.</summary>
    public static byte[] LoadOrMakeKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var made = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(made, Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)));
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

        return DecodeKey(File.ReadAllText(path), path);
    }
}
