using System.Net;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Email;

/// <summary>The attributes of <see cref="SmtpOptions"/>, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class SmtpOptionsAttributes : IValidateOptions<SmtpOptions>;

/// <summary>The checks that span settings, each naming the setting at fault.</summary>
internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Sender))
        {
            failures.Add($"{SmtpOptions.Section}:Sender is required with {SmtpOptions.Section}:Host.");
        }

        // Mail carries temporary passwords and reset codes: in the clear only to this machine.
        if (options.Security == SmtpSecurity.None && !IsLoopback(options.Host!))
        {
            failures.Add($"{SmtpOptions.Section}:Security may be None only for a loopback host; use StartTls or Tls for {options.Host}.");
        }

        var hasPassword = !string.IsNullOrEmpty(options.Password);
        var hasParameter = !string.IsNullOrWhiteSpace(options.PasswordParameterName);
        if (hasPassword && hasParameter)
        {
            failures.Add($"Set at most one of {SmtpOptions.Section}:Password and {SmtpOptions.Section}:PasswordParameterName.");
        }

        if ((hasPassword || hasParameter) != !string.IsNullOrWhiteSpace(options.UserName))
        {
            failures.Add($"{SmtpOptions.Section}:UserName and a password ({SmtpOptions.Section}:Password or PasswordParameterName) go together.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
