namespace SaasOnboarding.Api.Email;

/// <summary>A message the local identity provider sends a user.</summary>
/// <param name="To">The user's email address.</param>
/// <param name="UserName">The user it is about.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">The plain-text body.</param>
/// <param name="TemporaryPassword">The temporary password it carries, if any (the dev mailbox shows it in a field of its own).</param>
public sealed record OutgoingMail(string To, string UserName, string Subject, string Body, string? TemporaryPassword = null)
{
    public static OutgoingMail Invitation(string to, string userName, string temporaryPassword) => new(
        to,
        userName,
        "Your temporary password",
        $"Your username is {userName} and temporary password is {temporaryPassword}. Sign in to choose a new password.",
        temporaryPassword);

    public static OutgoingMail PasswordResetCode(string to, string userName, string code) => new(
        to,
        userName,
        "Your password reset code",
        $"Your password reset code for {userName} is {code}. It works once, within an hour.");
}

/// <summary>Where the local identity provider's mail goes: by SMTP (<see cref="SmtpMailSender"/>), or the dev mailbox.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
