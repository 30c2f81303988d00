using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Email;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local provider's users and groups, kept in <c>local-idp.db</c> and shaped like a pair of Cognito user pools:
/// custom attributes, enable/disable, and temporary passwords mailed (by SMTP, or to the dev mailbox).
/// </summary>
public sealed class LocalUserDirectory(LocalIdentityDatabase database, IPasswordHasher<string> hasher, IMailSender mail, TimeProvider time)
    : IUserDirectory
{
    private const string UserColumns = "user_name, email, tenant_id, user_role, enabled, status, created_at";

    /// <summary>Creates a confirmed user with a known password (the seeded system admin). False when it exists.</summary>
    public async Task<bool> TryCreateConfirmedUserAsync(UserPool pool, NewDirectoryUser user, string password, CancellationToken cancellationToken)
    {
        // Every start seeds the admin through here: look first, so that a restart does not pay a password hash
        // (PBKDF2, slow by design) for a user that exists. The insert still refuses a racing duplicate.
        if (await GetUserAsync(pool, user.UserName, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await InsertUserAsync(pool, user, password, UserStatus.Confirmed, cancellationToken);
            return true;
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.UserExists)
        {
            return false;
        }
    }

    public async Task CreateGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO user_group (pool, group_name) VALUES (@pool, @group)", null, ("@pool", pool.ToString()), ("@group", groupName));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            throw new DirectoryException(DirectoryError.GroupExists, "A group with the name already exists.");
        }
    }

    public async Task DeleteGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM group_member WHERE pool = @pool AND group_name = @group; DELETE FROM user_group WHERE pool = @pool AND group_name = @group;",
            null,
            ("@pool", pool.ToString()),
            ("@group", groupName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DirectoryUser> CreateUserAsync(UserPool pool, NewDirectoryUser user, CancellationToken cancellationToken)
    {
        var temporaryPassword = PasswordPolicy.Generate();
        var created = await InsertUserAsync(pool, user, temporaryPassword, UserStatus.PasswordChangeRequired, cancellationToken);
        try
        {
            await mail.SendAsync(OutgoingMail.Invitation(user.Email, user.UserName, temporaryPassword), cancellationToken);
        }
        catch
        {
            // A user whose password never reached it could never sign in: not made, as Cognito would not make it.
            await DeleteUserAsync(pool, user.UserName, CancellationToken.None);
            throw;
        }

        return created;
    }

    public async Task ResendInvitationAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        var temporaryPassword = PasswordPolicy.Generate();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"UPDATE user SET password_hash = @hash WHERE pool = @pool AND user_name = @user AND status = @status RETURNING {UserColumns}",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@hash", hasher.HashPassword(userName, temporaryPassword)),
            ("@status", StoredStatus(UserStatus.PasswordChangeRequired)));
        var user = await command.ReadFirstAsync(ReadUser, cancellationToken)
            ?? throw new DirectoryException(DirectoryError.UserNotFound, "No user with a temporary password has this name.");
        await mail.SendAsync(OutgoingMail.Invitation(user.Email, user.UserName, temporaryPassword), cancellationToken);
    }

    public async Task AddUserToGroupAsync(UserPool pool, string userName, string groupName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO group_member (pool, group_name, user_name)
            SELECT @pool, @group, @user
            WHERE EXISTS (SELECT 1 FROM user_group WHERE pool = @pool AND group_name = @group)
              AND EXISTS (SELECT 1 FROM user WHERE pool = @pool AND user_name = @user)
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            null,
            ("@pool", pool.ToString()),
            ("@group", groupName),
            ("@user", userName));
        if (await command.ExecuteScalarAsync(cancellationToken) is null
            && await GetUserAsync(pool, userName, cancellationToken) is null)
        {
            throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
        }
    }

    public async Task<DirectoryUser?> GetUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {UserColumns} FROM user WHERE pool = @pool AND user_name = @user", null, ("@pool", pool.ToString()), ("@user", userName));
        return await command.ReadFirstAsync(ReadUser, cancellationToken);
    }

    public async Task<Page<DirectoryUser>> ListUsersInGroupAsync(UserPool pool, string groupName, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var exists = connection.Command(
            "SELECT 1 FROM user_group WHERE pool = @pool AND group_name = @group", null, ("@pool", pool.ToString()), ("@group", groupName));
        await using (exists)
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new DirectoryException(DirectoryError.GroupNotFound, "Group not found.");
            }
        }

        return await ListAsync(
            connection,
            $"SELECT {UserColumns} FROM user WHERE pool = @pool AND user_name IN (SELECT user_name FROM group_member WHERE pool = @pool AND group_name = @group)",
            limit,
            nextToken,
            cancellationToken,
            ("@pool", pool.ToString()),
            ("@group", groupName));
    }

    public async Task<Page<DirectoryUser>> ListUsersAsync(UserPool pool, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ListAsync(connection, $"SELECT {UserColumns} FROM user WHERE pool = @pool", limit, nextToken, cancellationToken, ("@pool", pool.ToString()));
    }

    public async Task<IReadOnlyList<string>> FindUserNamesByEmailAsync(UserPool pool, string email, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT user_name FROM user WHERE pool = @pool AND email = @email COLLATE NOCASE ORDER BY user_name LIMIT @limit",
            null,
            ("@pool", pool.ToString()),
            ("@email", email),
            ("@limit", limit));
        return await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
    }

    public async Task UpdateUserAsync(UserPool pool, string userName, string? email, string? userRole, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE user SET email = coalesce(@email, email), user_role = coalesce(@role, user_role) WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@email", email),
            ("@role", userRole));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
        }
    }

    public async Task SetUserEnabledAsync(UserPool pool, string userName, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE user SET enabled = @enabled WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@enabled", enabled ? 1 : 0));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
        }
    }

    public async Task DeleteUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            DELETE FROM group_member WHERE pool = @pool AND user_name = @user;
            DELETE FROM refresh_token WHERE pool = @pool AND user_name = @user;
            DELETE FROM sign_in_failure WHERE pool = @pool AND user_name = @user;
            DELETE FROM password_reset_code WHERE pool = @pool AND user_name = @user;
            DELETE FROM totp WHERE pool = @pool AND user_name = @user;
            DELETE FROM user WHERE pool = @pool AND user_name = @user;
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// Sets the user's password and confirms the user (one that held a temporary password has now chosen its own).
    /// False when the user does not exist or is disabled.
    /// </summary>
    internal async Task<bool> ConfirmNewPasswordAsync(UserPool pool, string userName, string newPassword, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE user SET password_hash = @hash, status = @status WHERE pool = @pool AND user_name = @user AND enabled = 1",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@hash", hasher.HashPassword(userName, newPassword)),
            ("@status", StoredStatus(UserStatus.Confirmed)));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<DirectoryUser> InsertUserAsync(UserPool pool, NewDirectoryUser user, string password, UserStatus status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = hasher.HashPassword(user.UserName, password);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO user (pool, user_name, sub, email, tenant_id, user_role, password_hash, enabled, status, created_at)
            VALUES (@pool, @user, @sub, @email, @tenant, @role, @hash, 1, @status, @created)
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", user.UserName),
            ("@sub", Guid.NewGuid().ToString()),
            ("@email", user.Email),
            ("@tenant", user.TenantId),
            ("@role", user.UserRole),
            ("@hash", hash),
            ("@status", StoredStatus(status)),
            ("@created", StoredTime.Format(now)));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            throw new DirectoryException(DirectoryError.UserExists, "User account already exists.");
        }

        return new DirectoryUser(user.UserName, user.Email, user.TenantId, user.UserRole, true, status, now);
    }

    private static async Task<Page<DirectoryUser>> ListAsync(
        SqliteConnection connection, string select, int limit, string? nextToken, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var after = nextToken is null ? null : PageTokens.Decode(nextToken, 1)[0];
        await using var command = connection.Command(
            select + " AND (@after IS NULL OR user_name > @after) ORDER BY user_name LIMIT @take",
            null,
            [.. parameters, ("@after", after), ("@take", limit + 1)]);
        return await command.ReadPageAsync(limit, ReadUser, last => PageTokens.Encode(last.UserName), cancellationToken);
    }

    internal async Task<LocalStoredUser?> GetStoredUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT {UserColumns}, password_hash, sub,
                (SELECT json_group_array(group_name) FROM group_member WHERE pool = @pool AND user_name = @user)
            FROM user WHERE pool = @pool AND user_name = @user
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var groups = System.Text.Json.JsonSerializer.Deserialize(reader.GetString(9), Storage.StoredJson.Default.StringArray) ?? [];
        return new LocalStoredUser(ReadUser(reader), reader.GetString(7), reader.GetString(8), groups);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    private static DirectoryUser ReadUser(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.NullableString(2),
        reader.NullableString(3),
        reader.GetInt64(4) == 1,
        reader.GetString(5) switch
        {
            ConfirmedText => UserStatus.Confirmed,
            PasswordChangeRequiredText => UserStatus.PasswordChangeRequired,
            _ => UserStatus.Unknown,
        },
        StoredTime.Parse(reader.GetString(6)));

    // The status column keeps the words it was created with, Cognito's, so that existing files read unchanged.
    private const string ConfirmedText = "CONFIRMED";
    private const string PasswordChangeRequiredText = "FORCE_CHANGE_PASSWORD";

    private static string StoredStatus(UserStatus status) => status switch
    {
        UserStatus.Confirmed => ConfirmedText,
        UserStatus.PasswordChangeRequired => PasswordChangeRequiredText,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "The local provider keeps confirmed users and users with a temporary password."),
    };
}
