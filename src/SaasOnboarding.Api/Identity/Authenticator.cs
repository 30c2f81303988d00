namespace SaasOnboarding.Api.Identity;

/// <summary>The identity provider's sign-in flows.</summary>
public interface IAuthenticator
{
    /// <summary>Throws <see cref="DirectoryError.NotAuthorized"/> for a wrong password, an unknown or a disabled user.</summary>
    Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken);

    /// <summary>Sets the new password a sign-in required, in its session. Throws InvalidPassword when the policy refuses it.</summary>
    Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken);

    Task<SignInResult> RefreshAsync(UserPool pool, string refreshToken, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a signed-in user's password and ends its other sessions (its refresh tokens stop working). Throws
    /// NotAuthorized when <paramref name="previousPassword"/> is wrong, InvalidPassword when the policy refuses the new one.
    /// </summary>
    Task ChangePasswordAsync(UserPool pool, string userName, string previousPassword, string newPassword, CancellationToken cancellationToken);

    /// <summary>
    /// Emails the user a code for <see cref="ConfirmForgotPasswordAsync"/>. Completes the same way whether or not the
    /// user exists, may reset its password, or has an address, so that the answer tells a stranger nothing.
    /// </summary>
    Task ForgotPasswordAsync(UserPool pool, string userName, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a new password with the emailed code and ends the user's sessions. Throws NotAuthorized for a wrong,
    /// used or expired code (and for an unknown user), InvalidPassword when the policy refuses the new one.
    /// </summary>
    Task ConfirmForgotPasswordAsync(UserPool pool, string userName, string code, string newPassword, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="password"/> is the password of one of <paramref name="userNames"/> (the users an email
    /// address shares), without counting a wrong one against each of them (Cognito: each check is a sign-in, which
    /// Cognito counts). A locked-out or disabled user does not match.
    /// </summary>
    Task<bool> IsPasswordOfAnyAsync(UserPool pool, IReadOnlyList<string> userNames, string password, CancellationToken cancellationToken);

    /// <summary>
    /// Answers the <see cref="Challenges.SoftwareTokenMfa"/> challenge of a sign-in with a code of the user's
    /// authenticator app. Throws NotAuthorized for a wrong, reused or late code and a dead session; wrong codes
    /// count towards the lockout as wrong passwords do.
    /// </summary>
    Task<SignInResult> RespondToMfaAsync(UserPool pool, string userName, string session, string code, CancellationToken cancellationToken);

    /// <summary>
    /// Starts setting up TOTP MFA: a new secret for the user's authenticator app. The user proves itself with its
    /// <paramref name="password"/>, or with the <paramref name="session"/> of a sign-in's <see cref="Challenges.MfaSetup"/>
    /// challenge. Throws NotAuthorized when neither holds, InvalidParameter when MFA is already on.
    /// </summary>
    Task<MfaSetup> BeginMfaSetupAsync(UserPool pool, string userName, string? password, string? session, CancellationToken cancellationToken);

    /// <summary>Turns TOTP MFA on once a first code of the new secret verifies. Throws NotAuthorized for a wrong code or a dead session.</summary>
    Task CompleteMfaSetupAsync(UserPool pool, string userName, string session, string code, CancellationToken cancellationToken);

    /// <summary>
    /// Turns TOTP MFA off. The user proves itself with its password or a current code (Cognito: the password, and
    /// the code when the pool asks for one). Throws NotAuthorized when neither proves it.
    /// </summary>
    Task DisableMfaAsync(UserPool pool, string userName, string? password, string? code, CancellationToken cancellationToken);

    /// <summary>Whether the user signs in with TOTP MFA.</summary>
    Task<bool> MfaEnabledAsync(UserPool pool, string userName, CancellationToken cancellationToken);
}
