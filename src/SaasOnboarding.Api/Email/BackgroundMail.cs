namespace SaasOnboarding.Api.Email;

/// <summary>
/// Sends a message after the request that asked for it has answered, so that the answer's timing does not tell
/// whether a message was sent (forgot-password answers alike whether or not the account exists). A failure is
/// logged with the subject and user name only, never the body.
/// </summary>
public sealed class BackgroundMail(IMailSender mail, IHostApplicationLifetime lifetime, ILogger<BackgroundMail> logger)
{
    public void Send(OutgoingMail message) => _ = Task.Run(async () =>
    {
        try
        {
            await mail.SendAsync(message, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The mail {Subject} to user {UserName} was not sent.", message.Subject, message.UserName);
        }
    });
}
