using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Email;

public static class EmailSetup
{
    /// <summary>
    /// The local identity provider's mail: by SMTP when <c>Email:Smtp:Host</c> is set (the password from
    /// <c>Email:Smtp:Password</c> or the SecureString <c>Email:Smtp:PasswordParameterName</c>), otherwise to the dev mailbox.
    /// </summary>
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<SmtpOptions, SmtpOptionsAttributes>().BindConfiguration(SmtpOptions.Section)
            .ValidateDuration($"{SmtpOptions.Section}:Timeout", o => o.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        builder.Services.AddSingleton<BackgroundMail>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{SmtpOptions.Section}:Host"]))
        {
            builder.Services.AddSingleton<IMailSender>(services => services.GetRequiredService<LocalMailbox>());
            return builder;
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{SmtpOptions.Section}:PasswordParameterName"]))
        {
            builder.Services.AddSecureParameters(builder.Configuration);
        }

        builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
        return builder;
    }
}
