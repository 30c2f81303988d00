namespace SaasOnboarding.Testing;

/// <summary>The real app on its defaults, its local identity provider sending mail by SMTP to <see cref="MailDev"/>.</summary>
public sealed class SmtpApp() : AppFactory(null, MailDev.SmtpSettings())
{
    public override Task<string> TemporaryPasswordAsync(string userName) => MailDev.TemporaryPasswordAsync(userName);
}
