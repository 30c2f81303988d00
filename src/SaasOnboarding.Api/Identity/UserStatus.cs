namespace SaasOnboarding.Api.Identity;

/// <summary>Where a user stands with its password. Each identity adapter maps its provider's own states to these.</summary>
public enum UserStatus
{
    /// <summary>Signed in with a password of its own.</summary>
    Confirmed,

    /// <summary>Holds a temporary password: the next sign-in must choose a new one.</summary>
    PasswordChangeRequired,

    /// <summary>Signed up but not yet confirmed.</summary>
    Unconfirmed,

    /// <summary>Must reset its password before signing in.</summary>
    PasswordResetRequired,

    /// <summary>A state this service has no name for.</summary>
    Unknown,
}
