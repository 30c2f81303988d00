using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Cognito;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Testing;

/// <summary>
/// The app's real user directory with a quota on groups, as a Cognito user pool has one (10,000 groups): a
/// <see cref="IUserDirectory.CreateGroupAsync"/> past <see cref="Quota"/> groups is refused with the error the Cognito
/// client gives for Cognito's <c>LimitExceededException</c>, and makes nothing. Every other call goes to the real one.
/// </summary>
public sealed class GroupQuotaDirectory(IUserDirectory inner, int quota) : IUserDirectory
{
    private int _groups;

    public int Quota { get; } = quota;

    /// <summary>The groups made and not deleted through this directory.</summary>
    public int Groups => Volatile.Read(ref _groups);

    /// <summary>Replaces the app's <see cref="IUserDirectory"/> with one under a quota of <paramref name="quota"/> groups.</summary>
    public static void Install(IServiceCollection services, int quota)
    {
        var original = services.Last(descriptor => descriptor.ServiceType == typeof(IUserDirectory));
        services.Remove(original);
        services.AddSingleton<IUserDirectory>(provider => new GroupQuotaDirectory((IUserDirectory)original.ImplementationFactory!(provider), quota));
    }

    public async Task CreateGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _groups) > Quota)
        {
            Interlocked.Decrement(ref _groups);
            throw new DirectoryException(
                DirectoryError.LimitExceeded,
                "The user pool has reached its limit of groups.",
                new CognitoException("LimitExceededException", HttpStatusCode.BadRequest));
        }

        try
        {
            await inner.CreateGroupAsync(pool, groupName, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _groups);
            throw;
        }
    }

    public async Task DeleteGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        var existed = await GroupExistsAsync(pool, groupName, cancellationToken);
        await inner.DeleteGroupAsync(pool, groupName, cancellationToken);
        if (existed)
        {
            Interlocked.Decrement(ref _groups);
        }
    }

    public Task<DirectoryUser> CreateUserAsync(UserPool pool, NewDirectoryUser user, CancellationToken cancellationToken) =>
        inner.CreateUserAsync(pool, user, cancellationToken);

    public Task ResendInvitationAsync(UserPool pool, string userName, CancellationToken cancellationToken) =>
        inner.ResendInvitationAsync(pool, userName, cancellationToken);

    public Task AddUserToGroupAsync(UserPool pool, string userName, string groupName, CancellationToken cancellationToken) =>
        inner.AddUserToGroupAsync(pool, userName, groupName, cancellationToken);

    public Task<DirectoryUser?> GetUserAsync(UserPool pool, string userName, CancellationToken cancellationToken) =>
        inner.GetUserAsync(pool, userName, cancellationToken);

    public Task<Page<DirectoryUser>> ListUsersInGroupAsync(UserPool pool, string groupName, int limit, string? nextToken, CancellationToken cancellationToken) =>
        inner.ListUsersInGroupAsync(pool, groupName, limit, nextToken, cancellationToken);

    public Task<Page<DirectoryUser>> ListUsersAsync(UserPool pool, int limit, string? nextToken, CancellationToken cancellationToken) =>
        inner.ListUsersAsync(pool, limit, nextToken, cancellationToken);

    public Task<IReadOnlyList<string>> FindUserNamesByEmailAsync(UserPool pool, string email, int limit, CancellationToken cancellationToken) =>
        inner.FindUserNamesByEmailAsync(pool, email, limit, cancellationToken);

    public Task UpdateUserAsync(UserPool pool, string userName, string? email, string? userRole, CancellationToken cancellationToken) =>
        inner.UpdateUserAsync(pool, userName, email, userRole, cancellationToken);

    public Task SetUserEnabledAsync(UserPool pool, string userName, bool enabled, CancellationToken cancellationToken) =>
        inner.SetUserEnabledAsync(pool, userName, enabled, cancellationToken);

    public Task DeleteUserAsync(UserPool pool, string userName, CancellationToken cancellationToken) =>
        inner.DeleteUserAsync(pool, userName, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    private async Task<bool> GroupExistsAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        try
        {
            await inner.ListUsersInGroupAsync(pool, groupName, 1, null, cancellationToken);
            return true;
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
        {
            return false;
        }
    }
}
