namespace SaasOnboarding.Api.Identity;

/// <summary>
/// Either tokens, or, at the first sign-in with a temporary password, the session in which the user must choose a
/// new password (<see cref="IAuthenticator.RespondToNewPasswordAsync"/>).
/// </summary>
public sealed record SignInResult(TokenSet? Tokens, string? NewPasswordSession = null)
{
    public bool NewPasswordRequired => NewPasswordSession is not null;
}
