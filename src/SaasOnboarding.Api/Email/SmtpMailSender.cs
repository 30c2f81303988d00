using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Email;

/// <summary>
/// Sends the local identity provider's mail with MailKit: one connection per message (mail is rare: invitations
/// and codes), TLS as <see cref="SmtpOptions.Security"/> says, authenticated when a user name is set. A failure
/// is the identity provider being unavailable (503), and is logged without the message, which holds a secret.
/// </summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options, IServiceProvider services, ILogger<SmtpMailSender> logger) : IMailSender
{
    private readonly SmtpOptions _options = options.Value;
    private readonly Lazy<StartupSecret?> _password = new(() => options.Value switch
    {
        { PasswordParameterName: { Length: > 0 } parameter } => StartupSecret.FromParameter(parameter, services.GetRequiredService<ISecureParameterReader>()),
        { Password: { Length: > 0 } password } => StartupSecret.FromValue(password),
        _ => null,
    });

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.Sender!));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Body };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_options.Host!, _options.Port, Security(_options.Security), timeout.Token);
            if (_password.Value is { } password)
            {
                await client.AuthenticateAsync(_options.UserName!, await password.GetAsync(timeout.Token), timeout.Token);
            }

            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
            or System.Net.Sockets.SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Sending mail ({Subject}) by SMTP to {Host}:{Port} failed: {ErrorType}", mail.Subject, _options.Host, _options.Port, e.GetType().Name);
            throw new DirectoryException(DirectoryError.Unavailable, "The mail server did not take the message.", e);
        }
    }

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };
}
