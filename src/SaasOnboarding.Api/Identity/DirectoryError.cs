namespace SaasOnboarding.Api.Identity;

public enum DirectoryError
{
    UserExists,
    UserNotFound,
    GroupExists,
    GroupNotFound,
    InvalidParameter,
    InvalidPassword,
    NotAuthorized,
    Throttled,

    /// <summary>A quota of the pool is reached (Cognito's <c>LimitExceededException</c>: for groups, 10,000 a pool).</summary>
    LimitExceeded,
    Unavailable,
}
