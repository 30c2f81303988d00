using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>Failed sign-ins counted per user, and the lockout they lead to, on Cognito's schedule.</summary>
public sealed class LocalSignInFailures(LocalIdentityDatabase database, TimeProvider time)
{
    /// <summary>Failed sign-ins in a row after which the account is locked, as Cognito does.</summary>
    public const int FailuresBeforeLockout = 5;

    /// <summary>The first lockout; each further failure doubles it, up to <see cref="MaxLockout"/> (Cognito's schedule).</summary>
    public static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);

    /// <summary>Whether failed sign-ins are counted for the user, and until when it is locked, if it is.</summary>
    public async Task<(bool Failed, DateTimeOffset? LockedUntil)> ReadAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT locked_until FROM sign_in_failure WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (true, reader.NullableString(0) is { } lockedUntil ? StoredTime.Parse(lockedUntil) : null)
            : (false, null);
    }

    /// <summary>
    /// Counts a wrong password; from the <see cref="FailuresBeforeLockout"/>th in a row on, the account is locked
    /// for <see cref="FirstLockout"/>, doubled for each failure beyond it, at most <see cref="MaxLockout"/>.
    /// </summary>
    public async Task RecordAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        long failures;
        await using (var count = connection.Command(
            """
            INSERT INTO sign_in_failure (pool, user_name, failures) VALUES (@pool, @user, 1)
            ON CONFLICT (pool, user_name) DO UPDATE SET failures = failures + 1
            RETURNING failures
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName)))
        {
            failures = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        if (failures < FailuresBeforeLockout)
        {
            return;
        }

        var doublings = (int)Math.Min(failures - FailuresBeforeLockout, 20);
        var lockout = TimeSpan.FromTicks(Math.Min(FirstLockout.Ticks << doublings, MaxLockout.Ticks));
        await using var lockCommand = connection.Command(
            "UPDATE sign_in_failure SET locked_until = @until WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@until", StoredTime.Format(time.GetUtcNow() + lockout)));
        await lockCommand.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ClearAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM sign_in_failure WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
