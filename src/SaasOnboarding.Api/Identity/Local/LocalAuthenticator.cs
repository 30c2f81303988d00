using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Email;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local provider's sign-in flows, as Cognito answers them: password sign-in with lockout, the new-password
/// challenge of a user with a temporary password, TOTP MFA (its challenge, set-up and removal), refresh, and the
/// change and reset of a password. Wrong passwords and wrong codes count towards one lockout.
/// </summary>
public sealed class LocalAuthenticator : IAuthenticator
{
    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(3);

    /// <summary>Time to scan the QR code of a new secret and type its first code.</summary>
    private static readonly TimeSpan SetupLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The kind of the session in which a user verifies the first code of a new TOTP secret.</summary>
    private const string MfaVerify = "MFA_VERIFY";

    private readonly LocalUserDirectory _directory;
    private readonly IPasswordHasher<string> _hasher;
    private readonly LocalSignInFailures _failures;
    private readonly LocalTokenIssuer _issuer;
    private readonly LocalRefreshTokens _refreshTokens;
    private readonly LocalPasswordResetCodes _resetCodes;
    private readonly BackgroundMail _mail;
    private readonly LocalTotp _totp;
    private readonly bool _requireMfaForSystemAdmins;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Challenge> _challenges = new();
    private readonly Lazy<string> _dummyHash;

    public LocalAuthenticator(
        LocalUserDirectory directory,
        IPasswordHasher<string> hasher,
        LocalSignInFailures failures,
        LocalTokenIssuer issuer,
        LocalRefreshTokens refreshTokens,
        LocalPasswordResetCodes resetCodes,
        BackgroundMail mail,
        LocalTotp totp,
        IOptions<LocalIdentityOptions> options,
        TimeProvider time)
    {
        _directory = directory;
        _hasher = hasher;
        _failures = failures;
        _issuer = issuer;
        _refreshTokens = refreshTokens;
        _resetCodes = resetCodes;
        _mail = mail;
        _totp = totp;
        _requireMfaForSystemAdmins = options.Value.RequireMfaForSystemAdmins;
        _time = time;
        _dummyHash = new Lazy<string>(() => _hasher.HashPassword(string.Empty, PasswordPolicy.Generate()));
    }

    public async Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken)
    {
        var stored = await CheckPasswordAsync(pool, userName, password, cancellationToken);
        return await AfterPasswordAsync(pool, stored, cancellationToken);
    }

    /// <summary>What a right password leads to: a challenge (new password, TOTP code, MFA set-up), or tokens.</summary>
    private async Task<SignInResult> AfterPasswordAsync(UserPool pool, LocalStoredUser stored, CancellationToken cancellationToken)
    {
        var userName = stored.User.UserName;
        if (stored.User.Status == UserStatus.PasswordChangeRequired)
        {
            return new SignInResult(null, StartChallenge(pool, userName, Challenges.NewPasswordRequired, ChallengeLifetime));
        }

        if (await _totp.EnabledAsync(pool, userName, cancellationToken))
        {
            return new SignInResult(null, StartChallenge(pool, userName, Challenges.SoftwareTokenMfa, ChallengeLifetime), Challenges.SoftwareTokenMfa);
        }

        if (_requireMfaForSystemAdmins && stored.User.UserRole == Roles.SystemAdmin)
        {
            return new SignInResult(null, StartChallenge(pool, userName, Challenges.MfaSetup, SetupLifetime), Challenges.MfaSetup);
        }

        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: true, cancellationToken));
    }

    public async Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken)
    {
        _ = LiveChallenge(pool, userName, session, Challenges.NewPasswordRequired);
        if (PasswordPolicy.Violation(newPassword) is { } violation)
        {
            throw new DirectoryException(DirectoryError.InvalidPassword, violation);
        }

        _challenges.TryRemove(session, out _);
        if (!await _directory.ConfirmNewPasswordAsync(pool, userName, newPassword, cancellationToken))
        {
            throw NotAuthorized();
        }

        var stored = await _directory.GetStoredUserAsync(pool, userName, cancellationToken) ?? throw NotAuthorized();
        return await AfterPasswordAsync(pool, stored, cancellationToken);
    }

    public async Task<bool> IsPasswordOfAnyAsync(UserPool pool, IReadOnlyList<string> userNames, string password, CancellationToken cancellationToken)
    {
        foreach (var userName in userNames)
        {
            var stored = await _directory.GetStoredUserAsync(pool, userName, cancellationToken);
            var (_, lockedUntil) = await _failures.ReadAsync(pool, userName, cancellationToken);
            if (stored is { User.Enabled: true }
                && !(lockedUntil > _time.GetUtcNow())
                && _hasher.VerifyHashedPassword(userName, stored.PasswordHash, password) != PasswordVerificationResult.Failed)
            {
                return true;
            }
        }

        return false;
    }

    public async Task<SignInResult> RespondToMfaAsync(UserPool pool, string userName, string session, string code, CancellationToken cancellationToken)
    {
        _ = LiveChallenge(pool, userName, session, Challenges.SoftwareTokenMfa);
        await GuardAsync(pool, userName, () => _totp.RedeemAsync(pool, userName, code, cancellationToken), cancellationToken);
        _challenges.TryRemove(session, out _);
        var stored = await _directory.GetStoredUserAsync(pool, userName, cancellationToken);
        if (stored is not { User.Enabled: true })
        {
            throw NotAuthorized();
        }

        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: true, cancellationToken));
    }

    public async Task<MfaSetup> BeginMfaSetupAsync(UserPool pool, string userName, string? password, string? session, CancellationToken cancellationToken)
    {
        if (password is not null)
        {
            var stored = await CheckPasswordAsync(pool, userName, password, cancellationToken);
            if (stored.User.Status != UserStatus.Confirmed)
            {
                throw new DirectoryException(DirectoryError.NotAuthorized, "The user must finish signing in before it sets up MFA.");
            }
        }
        else if (session is not null)
        {
            _ = LiveChallenge(pool, userName, session, Challenges.MfaSetup);
            _challenges.TryRemove(session, out _);
        }
        else
        {
            throw NotAuthorized();
        }

        if (await _totp.EnabledAsync(pool, userName, cancellationToken))
        {
            throw new DirectoryException(DirectoryError.InvalidParameter, "MFA is already on for this user: turn it off first.");
        }

        var secret = LocalTotp.NewSecret();
        return new MfaSetup(secret, StartChallenge(pool, userName, MfaVerify, SetupLifetime, secret));
    }

    public async Task CompleteMfaSetupAsync(UserPool pool, string userName, string session, string code, CancellationToken cancellationToken)
    {
        var challenge = LiveChallenge(pool, userName, session, MfaVerify);
        long? step = null;
        await GuardAsync(pool, userName, () => Task.FromResult((step = _totp.StepOf(challenge.Secret!, code)) is not null), cancellationToken);
        if (!_challenges.TryRemove(session, out _))
        {
            throw NotAuthorized();
        }

        await _totp.EnableAsync(pool, userName, challenge.Secret!, step!.Value, cancellationToken);
    }

    public async Task DisableMfaAsync(UserPool pool, string userName, string? password, string? code, CancellationToken cancellationToken)
    {
        if (password is not null)
        {
            _ = await CheckPasswordAsync(pool, userName, password, cancellationToken);
        }
        else if (code is not null)
        {
            await GuardAsync(pool, userName, () => _totp.RedeemAsync(pool, userName, code, cancellationToken), cancellationToken);
        }
        else
        {
            throw NotAuthorized();
        }

        await _totp.DisableAsync(pool, userName, cancellationToken);
    }

    public Task<bool> MfaEnabledAsync(UserPool pool, string userName, CancellationToken cancellationToken) =>
        _totp.EnabledAsync(pool, userName, cancellationToken);

    public async Task<SignInResult> RefreshAsync(UserPool pool, string refreshToken, CancellationToken cancellationToken)
    {
        var userName = await _refreshTokens.UserOfAsync(pool, refreshToken, _time.GetUtcNow(), cancellationToken);
        var stored = userName is null ? null : await _directory.GetStoredUserAsync(pool, userName, cancellationToken);
        if (stored is not { User.Enabled: true })
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Invalid Refresh Token.");
        }

        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: false, cancellationToken));
    }

    public async Task ChangePasswordAsync(UserPool pool, string userName, string previousPassword, string newPassword, CancellationToken cancellationToken)
    {
        _ = await CheckPasswordAsync(pool, userName, previousPassword, cancellationToken);
        await SetPasswordAsync(pool, userName, newPassword, cancellationToken);
    }

    public async Task ForgotPasswordAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        // Only a confirmed, enabled user gets a code (one with a temporary password is sent its invitation again by
        // an admin instead, as Cognito refuses it a code too). Everyone else pays for the same hash a code costs,
        // and the mail leaves after the answer, so that the answer takes as long either way.
        if (await _directory.GetUserAsync(pool, userName, cancellationToken) is not { Enabled: true, Status: UserStatus.Confirmed } user)
        {
            _hasher.HashPassword(string.Empty, string.Empty);
            return;
        }

        var code = await _resetCodes.IssueAsync(pool, user.UserName, cancellationToken);
        _mail.Send(OutgoingMail.PasswordResetCode(user.Email, user.UserName, code));
    }

    public async Task ConfirmForgotPasswordAsync(UserPool pool, string userName, string code, string newPassword, CancellationToken cancellationToken)
    {
        if (PasswordPolicy.Violation(newPassword) is { } violation)
        {
            throw new DirectoryException(DirectoryError.InvalidPassword, violation);
        }

        if (!await _resetCodes.RedeemAsync(pool, userName, code, cancellationToken))
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Invalid code provided, please request a code again.");
        }

        await SetPasswordAsync(pool, userName, newPassword, cancellationToken);

        // The lockout a forgotten password led to ends with the new one.
        await _failures.ClearAsync(pool, userName, cancellationToken);
    }

    /// <summary>
    /// The user whose password <paramref name="password"/> is, counting a wrong one towards the lockout. Throws
    /// NotAuthorized for a wrong password, an unknown, a disabled or a locked-out user alike.
    /// </summary>
    private async Task<LocalStoredUser> CheckPasswordAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken)
    {
        var stored = await _directory.GetStoredUserAsync(pool, userName, cancellationToken);
        if (stored is null)
        {
            // Pay for one hash either way, so that the answer's timing does not tell which user names exist.
            _hasher.VerifyHashedPassword(string.Empty, _dummyHash.Value, password);
            throw NotAuthorized();
        }

        var hash = stored.PasswordHash;
        await GuardAsync(
            pool,
            userName,
            () => Task.FromResult(_hasher.VerifyHashedPassword(userName, hash, password) != PasswordVerificationResult.Failed),
            cancellationToken);
        if (!stored.User.Enabled)
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "User is disabled.") { DisabledAfterRightPassword = true };
        }

        return stored;
    }

    /// <summary>
    /// The lockout rules, for passwords and TOTP codes alike: a locked account is refused before <paramref name="check"/>
    /// runs, so that a right guess during the lockout tells nothing (the answer is Cognito's for the same case); a
    /// failed check counts towards the lockout (<see cref="LocalSignInFailures"/>); a passed one clears the count.
    /// </summary>
    private async Task GuardAsync(UserPool pool, string userName, Func<Task<bool>> check, CancellationToken cancellationToken)
    {
        var (failed, lockedUntil) = await _failures.ReadAsync(pool, userName, cancellationToken);
        if (lockedUntil > _time.GetUtcNow())
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Password attempts exceeded");
        }

        if (!await check())
        {
            await _failures.RecordAsync(pool, userName, cancellationToken);
            throw NotAuthorized();
        }

        if (failed)
        {
            await _failures.ClearAsync(pool, userName, cancellationToken);
        }
    }

    /// <summary>A new session of <paramref name="kind"/> for the user; expired ones are dropped.</summary>
    private string StartChallenge(UserPool pool, string userName, string kind, TimeSpan lifetime, string? secret = null)
    {
        PruneChallenges();
        var session = LocalRefreshTokens.RandomToken();
        _challenges[session] = new Challenge(pool, userName, kind, _time.GetUtcNow() + lifetime, secret);
        return session;
    }

    /// <summary>The live session of <paramref name="kind"/> for the user, or NotAuthorized.</summary>
    private Challenge LiveChallenge(UserPool pool, string userName, string session, string kind)
    {
        if (!_challenges.TryGetValue(session, out var challenge)
            || challenge.Pool != pool
            || challenge.UserName != userName
            || challenge.Kind != kind
            || challenge.ExpiresAt < _time.GetUtcNow())
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Invalid session for the user, session is expired.");
        }

        return challenge;
    }

    /// <summary>Sets a password the user chose, then ends its sessions: a password changed because it leaked ends the intruder's too.</summary>
    private async Task SetPasswordAsync(UserPool pool, string userName, string newPassword, CancellationToken cancellationToken)
    {
        if (PasswordPolicy.Violation(newPassword) is { } violation)
        {
            throw new DirectoryException(DirectoryError.InvalidPassword, violation);
        }

        if (!await _directory.ConfirmNewPasswordAsync(pool, userName, newPassword, cancellationToken))
        {
            throw NotAuthorized();
        }

        await _refreshTokens.RevokeAllAsync(pool, userName, cancellationToken);
    }

    private async Task<TokenSet> IssueTokensAsync(UserPool pool, LocalStoredUser stored, bool withRefreshToken, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (idToken, accessToken) = _issuer.Issue(pool, stored, now);
        var refreshToken = withRefreshToken ? await _refreshTokens.IssueAsync(pool, stored.User.UserName, now, cancellationToken) : null;
        return new TokenSet(idToken, accessToken, refreshToken, (int)_issuer.TokenLifetime.TotalSeconds);
    }

    private void PruneChallenges()
    {
        var now = _time.GetUtcNow();
        foreach (var (session, challenge) in _challenges)
        {
            if (challenge.ExpiresAt < now)
            {
                _challenges.TryRemove(session, out _);
            }
        }
    }

    private static DirectoryException NotAuthorized() => new(DirectoryError.NotAuthorized, "Incorrect username or password.");

    /// <summary>A session of a sign-in challenge (or of a TOTP set-up, with its new secret), held in memory only.</summary>
    private sealed record Challenge(UserPool Pool, string UserName, string Kind, DateTimeOffset ExpiresAt, string? Secret = null);
}
