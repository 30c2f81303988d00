using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using SaasOnboarding.Api.Email;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local provider's sign-in flows, as Cognito answers them: password sign-in with lockout, the new-password
/// challenge of a user with a temporary password, and refresh.
/// </summary>
public sealed class LocalAuthenticator : IAuthenticator
{
    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(3);

    private readonly LocalUserDirectory _directory;
    private readonly IPasswordHasher<string> _hasher;
    private readonly LocalSignInFailures _failures;
    private readonly LocalTokenIssuer _issuer;
    private readonly LocalRefreshTokens _refreshTokens;
    private readonly LocalPasswordResetCodes _resetCodes;
    private readonly IMailSender _mail;
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
        IMailSender mail,
        TimeProvider time)
    {
        _directory = directory;
        _hasher = hasher;
        _failures = failures;
        _issuer = issuer;
        _refreshTokens = refreshTokens;
        _resetCodes = resetCodes;
        _mail = mail;
        _time = time;
        _dummyHash = new Lazy<string>(() => _hasher.HashPassword(string.Empty, PasswordPolicy.Generate()));
    }

    public async Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken)
    {
        var stored = await CheckPasswordAsync(pool, userName, password, cancellationToken);

        if (stored.User.Status == UserStatus.PasswordChangeRequired)
        {
            var session = LocalRefreshTokens.RandomToken();
            PruneChallenges();
            _challenges[session] = new Challenge(pool, userName, _time.GetUtcNow() + ChallengeLifetime);
            return new SignInResult(null, session);
        }

        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: true, cancellationToken));
    }

    public async Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(session, out var challenge)
            || challenge.Pool != pool
            || challenge.UserName != userName
            || challenge.ExpiresAt < _time.GetUtcNow())
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Invalid session for the user, session is expired.");
        }

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
        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: true, cancellationToken));
    }

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
        // an admin instead, as Cognito refuses it a code too). Everyone else pays for the same hash a code costs.
        if (await _directory.GetUserAsync(pool, userName, cancellationToken) is not { Enabled: true, Status: UserStatus.Confirmed } user)
        {
            _hasher.HashPassword(string.Empty, string.Empty);
            return;
        }

        var code = await _resetCodes.IssueAsync(pool, user.UserName, cancellationToken);
        await _mail.SendAsync(OutgoingMail.PasswordResetCode(user.Email, user.UserName, code), cancellationToken);
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

        // A locked account is refused before its password is checked, so that a right guess during the lockout
        // tells nothing; the answer is Cognito's for the same case.
        var (failed, lockedUntil) = await _failures.ReadAsync(pool, userName, cancellationToken);
        if (lockedUntil > _time.GetUtcNow())
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Password attempts exceeded");
        }

        if (_hasher.VerifyHashedPassword(userName, stored.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            await _failures.RecordAsync(pool, userName, cancellationToken);
            throw NotAuthorized();
        }

        if (!stored.User.Enabled)
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "User is disabled.") { DisabledAfterRightPassword = true };
        }

        if (failed)
        {
            await _failures.ClearAsync(pool, userName, cancellationToken);
        }

        return stored;
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

    private sealed record Challenge(UserPool Pool, string UserName, DateTimeOffset ExpiresAt);
}
