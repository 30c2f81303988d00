using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>The dev mailbox: the messages the local provider would email, kept in local-idp.db.</summary>
public sealed class LocalMailbox(LocalIdentityDatabase database, TimeProvider time)
{
    /// <summary>Mails a new user its user name and temporary password.</summary>
    public async Task SendTemporaryPasswordAsync(NewDirectoryUser user, string temporaryPassword, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO mailbox (recipient, subject, body, user_name, temporary_password, sent_at)
            VALUES (@to, @subject, @body, @user, @password, @sent)
            """,
            null,
            ("@to", user.Email),
            ("@subject", "Your temporary password"),
            ("@body", $"Your username is {user.UserName} and temporary password is {temporaryPassword}. Sign in to choose a new password."),
            ("@user", user.UserName),
            ("@password", temporaryPassword),
            ("@sent", StoredTime.Format(time.GetUtcNow())));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Mails a user the code that lets it choose a new password.</summary>
    public async Task SendPasswordResetCodeAsync(DirectoryUser user, string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO mailbox (recipient, subject, body, user_name, sent_at) VALUES (@to, @subject, @body, @user, @sent)",
            null,
            ("@to", user.Email),
            ("@subject", "Your password reset code"),
            ("@body", $"Your password reset code for {user.UserName} is {code}. It works once, within an hour."),
            ("@user", user.UserName),
            ("@sent", StoredTime.Format(time.GetUtcNow())));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> messages, newest first.</summary>
    public async Task<IReadOnlyList<MailMessage>> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT recipient, subject, body, user_name, temporary_password, sent_at FROM mailbox ORDER BY id DESC LIMIT @limit",
            null,
            ("@limit", limit));
        return await command.ReadAllAsync(
            reader => new MailMessage(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.NullableString(4),
                StoredTime.Parse(reader.GetString(5))),
            cancellationToken);
    }
}
