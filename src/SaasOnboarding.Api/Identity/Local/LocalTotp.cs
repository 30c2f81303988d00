using OtpNet;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// TOTP MFA of the local provider, as Cognito's software token works: RFC 6238 codes of six digits for 30-second
/// steps, one step early or late accepted for clock drift, and no code accepted twice (the last accepted step is
/// stored, and only a later one passes). Secrets are stored encrypted (<see cref="LocalSecretKey"/>).
/// </summary>
public sealed class LocalTotp(LocalIdentityDatabase database, LocalSecretKey key, TimeProvider time)
{
    /// <summary>A new secret for an authenticator app: 160 random bits in Base32, as RFC 4226 recommends.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The time step <paramref name="code"/> is right for under <paramref name="secret"/> now, or null.</summary>
    public long? StepOf(string secret, string code)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) ? step : null;
    }

    public async Task<bool> EnabledAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT 1 FROM totp WHERE pool = @pool AND user_name = @user", null, ("@pool", pool.ToString()), ("@user", userName));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Turns MFA on with <paramref name="secret"/>, whose first code was accepted for <paramref name="step"/>.</summary>
    public async Task EnableAsync(UserPool pool, string userName, string secret, long step, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO totp (pool, user_name, secret, last_step) VALUES (@pool, @user, @secret, @step)
            ON CONFLICT (pool, user_name) DO UPDATE SET secret = excluded.secret, last_step = excluded.last_step
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@secret", key.Protect(secret, Context(pool, userName))),
            ("@step", step));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="code"/> is a current code of the user's secret that was not accepted before. A right
    /// code is used up: of two requests with it, only the one that moves the last step on wins.
    /// </summary>
    public async Task<bool> RedeemAsync(UserPool pool, string userName, string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        string? secret;
        long lastStep;
        await using (var read = connection.Command(
            "SELECT secret, last_step FROM totp WHERE pool = @pool AND user_name = @user", null, ("@pool", pool.ToString()), ("@user", userName)))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            secret = key.Unprotect(reader.GetString(0), Context(pool, userName));
            lastStep = reader.GetInt64(1);
        }

        if (secret is null || StepOf(secret, code) is not { } step || step <= lastStep)
        {
            return false;
        }

        await using var use = connection.Command(
            "UPDATE totp SET last_step = @step WHERE pool = @pool AND user_name = @user AND last_step < @step",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@step", step));
        return await use.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task DisableAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM totp WHERE pool = @pool AND user_name = @user", null, ("@pool", pool.ToString()), ("@user", userName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Context(UserPool pool, string userName) => "totp/" + pool + "/" + userName;
}
