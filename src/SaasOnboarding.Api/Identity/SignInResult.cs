namespace SaasOnboarding.Api.Identity;

/// <summary>
/// Either tokens, or a challenge (<see cref="Challenges"/>) the user must answer in <see cref="Session"/> first: a
/// new password at the first sign-in with a temporary one, a TOTP code, or the set-up of TOTP MFA it must use.
/// </summary>
public sealed record SignInResult(TokenSet? Tokens, string? Session = null, string ChallengeName = Challenges.NewPasswordRequired)
{
    public bool NewPasswordRequired => Tokens is null && ChallengeName == Challenges.NewPasswordRequired;

    public string? NewPasswordSession => NewPasswordRequired ? Session : null;
}

/// <summary>The sign-in challenges this service answers, with Cognito's names.</summary>
public static class Challenges
{
    /// <summary>The first sign-in with a temporary password: choose a new one (<c>/auth/new-password</c>).</summary>
    public const string NewPasswordRequired = "NEW_PASSWORD_REQUIRED";

    /// <summary>The user has TOTP MFA on: send a code from its authenticator app (<c>/auth/mfa</c>).</summary>
    public const string SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA";

    /// <summary>The user must use MFA and has none yet: set it up (<c>/auth/mfa/setup</c>), then sign in again.</summary>
    public const string MfaSetup = "MFA_SETUP";

    public static readonly string[] All = [NewPasswordRequired, SoftwareTokenMfa, MfaSetup];
}
