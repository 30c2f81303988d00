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
    Unavailable,
}
