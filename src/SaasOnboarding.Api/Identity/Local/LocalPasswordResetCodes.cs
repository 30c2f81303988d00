using System.Security.Cryptography;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The forgot-password flow's codes, as Cognito issues them: six digits, one live code per user (a new request
/// replaces it), valid for <see cref="Lifetime"/>, dead after <see cref="Attempts"/> wrong tries. Only a hash of
/// each code is stored, made by the app's password hasher.
/// </summary>
public sealed class LocalPasswordResetCodes(LocalIdentityDatabase database, IPasswordHasher<string> hasher, TimeProvider time)
{
    /// <summary>How long a code may be used (Cognito's is one hour).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Wrong tries a code survives; the next one removes it.</summary>
    public const int Attempts = 5;

    /// <summary>A new code for the user, replacing any live one.</summary>
    public async Task<string> IssueAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO password_reset_code (pool, user_name, code_hash, expires_at, attempts_left)
            VALUES (@pool, @user, @hash, @expires, @attempts)
            ON CONFLICT (pool, user_name) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts_left = excluded.attempts_left
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@hash", hasher.HashPassword(userName, code)),
            ("@expires", StoredTime.Format(time.GetUtcNow() + Lifetime)),
            ("@attempts", Attempts));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return code;
    }

    /// <summary>
    /// Whether <paramref name="code"/> is the user's live code. A right code is used up; a wrong one costs a try,
    /// and the last try removes the code.
    /// </summary>
    public async Task<bool> RedeemAsync(UserPool pool, string userName, string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        string? hash;
        await using (var read = connection.Command(
            "SELECT code_hash FROM password_reset_code WHERE pool = @pool AND user_name = @user AND expires_at > @now AND attempts_left > 0",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@now", StoredTime.Format(time.GetUtcNow()))))
        {
            hash = await read.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (hash is null)
        {
            return false;
        }

        if (hasher.VerifyHashedPassword(userName, hash, code) == PasswordVerificationResult.Failed)
        {
            // Counted only against the code that was checked, so a racing new code keeps all its tries.
            await using var wrong = connection.Command(
                """
                UPDATE password_reset_code SET attempts_left = attempts_left - 1 WHERE pool = @pool AND user_name = @user AND code_hash = @hash;
                DELETE FROM password_reset_code WHERE pool = @pool AND user_name = @user AND attempts_left <= 0;
                """,
                null,
                ("@pool", pool.ToString()),
                ("@user", userName),
                ("@hash", hash));
            await wrong.ExecuteNonQueryAsync(cancellationToken);
            return false;
        }

        // Used once: of two requests with the same code, only the one that removes it wins.
        await using var use = connection.Command(
            "DELETE FROM password_reset_code WHERE pool = @pool AND user_name = @user AND code_hash = @hash AND attempts_left > 0",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@hash", hash));
        return await use.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
