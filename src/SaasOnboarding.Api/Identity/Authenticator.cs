namespace SaasOnboarding.Api.Identity;

/// <summary>The identity provider's sign-in flows.</summary>
public interface IAuthenticator
{
    /// <summary>Throws <see cref="DirectoryError.NotAuthorized"/> for a wrong password, an unknown or a disabled user.</summary>
    Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken);

    /// <summary>Sets the new password a sign-in required, in its session. Throws InvalidPassword when the policy refuses it.</summary>
    Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken);

    Task<SignInResult> RefreshAsync(UserPool pool, string refreshToken, CancellationToken cancellationToken);
}
