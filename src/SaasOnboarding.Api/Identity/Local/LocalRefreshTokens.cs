using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>The refresh tokens a sign-in hands out; only their SHA-256 hashes are stored.</summary>
public sealed class LocalRefreshTokens(LocalIdentityDatabase database, IOptions<LocalIdentityOptions> options)
{
    /// <summary>A new refresh token for the user, valid from <paramref name="now"/> for the configured lifetime.</summary>
    public async Task<string> IssueAsync(UserPool pool, string userName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var refreshToken = RandomToken();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO refresh_token (token_hash, pool, user_name, expires_at) VALUES (@hash, @pool, @user, @expires)",
            null,
            ("@hash", Hash(refreshToken)),
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@expires", StoredTime.Format(now + options.Value.RefreshTokenLifetime)));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return refreshToken;
    }

    /// <summary>The user the token was issued to in the pool, while it is unexpired at <paramref name="now"/>; otherwise null.</summary>
    public async Task<string?> UserOfAsync(UserPool pool, string refreshToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT user_name FROM refresh_token WHERE token_hash = @hash AND pool = @pool AND expires_at > @now",
            null,
            ("@hash", Hash(refreshToken)),
            ("@pool", pool.ToString()),
            ("@now", StoredTime.Format(now)));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Revokes every refresh token of the user: its sessions end at their next refresh.</summary>
    public async Task RevokeAllAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM refresh_token WHERE pool = @pool AND user_name = @user", null, ("@pool", pool.ToString()), ("@user", userName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>256 random bits, URL-safe: a refresh token or a sign-in session.</summary>
    internal static string RandomToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
