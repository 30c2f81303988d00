using SaasOnboarding.Api.Email;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The dev mailbox: the messages the local provider would email, kept in local-idp.db, when no SMTP server is
/// configured (<c>Email:Smtp:Host</c>). Served at <c>/dev/mailbox</c> in Development only.
/// </summary>
public sealed class LocalMailbox(LocalIdentityDatabase database, TimeProvider time) : IMailSender
{
    /// <summary>Keeps the message in the mailbox table.</summary>
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO mailbox (recipient, subject, body, user_name, temporary_password, sent_at)
            VALUES (@to, @subject, @body, @user, @password, @sent)
            """,
            null,
            ("@to", mail.To),
            ("@subject", mail.Subject),
            ("@body", mail.Body),
            ("@user", mail.UserName),
            ("@password", mail.TemporaryPassword),
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
