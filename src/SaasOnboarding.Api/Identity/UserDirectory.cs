using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Identity;

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

    /// <summary>
    /// Sends a user that holds a temporary password a new one, as <see cref="CreateUserAsync"/> did; the previous one
    /// stops working. Throws <see cref="DirectoryError.UserNotFound"/>.
    /// </summary>
    Task ResendInvitationAsync(UserPool pool, string userName, CancellationToken cancellationToken);

    Task AddUserToGroupAsync(UserPool pool, string userName, string groupName, CancellationToken cancellationToken);

    Task<DirectoryUser?> GetUserAsync(UserPool pool, string userName, CancellationToken cancellationToken);

    Task<Page<DirectoryUser>> ListUsersInGroupAsync(UserPool pool, string groupName, int limit, string? nextToken, CancellationToken cancellationToken);

    Task<Page<DirectoryUser>> ListUsersAsync(UserPool pool, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>
    /// The names of the pool's users whose email is <paramref name="email"/> (compared ignoring case), at most
    /// <paramref name="limit"/> of them.
    /// </summary>
    Task<IReadOnlyList<string>> FindUserNamesByEmailAsync(UserPool pool, string email, int limit, CancellationToken cancellationToken);

    /// <summary>Changes the given attributes; a null leaves one as it is.</summary>
    Task UpdateUserAsync(UserPool pool, string userName, string? email, string? userRole, CancellationToken cancellationToken);

    Task SetUserEnabledAsync(UserPool pool, string userName, bool enabled, CancellationToken cancellationToken);

    /// <summary>Idempotent.</summary>
    Task DeleteUserAsync(UserPool pool, string userName, CancellationToken cancellationToken);

    /// <summary>A cheap round trip for readiness checks.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
