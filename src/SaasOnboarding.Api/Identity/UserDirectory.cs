using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Identity;

/// <summary>The two user pools of the workshop: provider staff, and the pooled tenant users.</summary>
public enum UserPool
{
    Operations,
    Tenant,
}

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

public sealed record DirectoryUser(
    string UserName,
    string Email,
    string? TenantId,
    string? UserRole,
    bool Enabled,
    UserStatus Status,
    DateTimeOffset CreatedAt);

public sealed record NewDirectoryUser(string UserName, string Email, string TenantId, string UserRole);

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

/// <summary>An identity provider refused or failed an operation.</summary>
public sealed class DirectoryException(DirectoryError error, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public DirectoryError Error { get; } = error;
}

/// <summary>Administrative operations on the identity provider's users and groups.</summary>
public interface IUserDirectory
{
    /// <summary>Throws <see cref="DirectoryError.GroupExists"/> when the group exists.</summary>
    Task CreateGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken);

    /// <summary>Idempotent.</summary>
    Task DeleteGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the user with a temporary password that the provider emails to it; the first sign-in must set a
    /// new one. Throws <see cref="DirectoryError.UserExists"/>.
    /// </summary>
    Task<DirectoryUser> CreateUserAsync(UserPool pool, NewDirectoryUser user, CancellationToken cancellationToken);

    Task AddUserToGroupAsync(UserPool pool, string userName, string groupName, CancellationToken cancellationToken);

    Task<DirectoryUser?> GetUserAsync(UserPool pool, string userName, CancellationToken cancellationToken);

    Task<Page<DirectoryUser>> ListUsersInGroupAsync(UserPool pool, string groupName, int limit, string? nextToken, CancellationToken cancellationToken);

    Task<Page<DirectoryUser>> ListUsersAsync(UserPool pool, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Changes the given attributes; a null leaves one as it is.</summary>
    Task UpdateUserAsync(UserPool pool, string userName, string? email, string? userRole, CancellationToken cancellationToken);

    Task SetUserEnabledAsync(UserPool pool, string userName, bool enabled, CancellationToken cancellationToken);

    /// <summary>Idempotent.</summary>
    Task DeleteUserAsync(UserPool pool, string userName, CancellationToken cancellationToken);

    /// <summary>A cheap round trip for readiness checks.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>Tokens from a successful sign-in.</summary>
public sealed record TokenSet(string IdToken, string AccessToken, string? RefreshToken, int ExpiresIn);

/// <summary>
/// Either tokens, or, at the first sign-in with a temporary password, the session in which the user must choose a
/// new password (<see cref="IAuthenticator.RespondToNewPasswordAsync"/>).
/// </summary>
public sealed record SignInResult(TokenSet? Tokens, string? NewPasswordSession = null)
{
    public bool NewPasswordRequired => NewPasswordSession is not null;
}

/// <summary>The identity provider's sign-in flows.</summary>
public interface IAuthenticator
{
    /// <summary>Throws <see cref="DirectoryError.NotAuthorized"/> for a wrong password, an unknown or a disabled user.</summary>
    Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken);

    /// <summary>Sets the new password a sign-in required, in its session. Throws InvalidPassword when the policy refuses it.</summary>
    Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken);

    Task<SignInResult> RefreshAsync(UserPool pool, string refreshToken, CancellationToken cancellationToken);
}
