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
}
