using System.ComponentModel.DataAnnotations;

namespace SaasOnboarding.Api.Email;

/// <summary>How the local identity provider's mail leaves by SMTP: <c>Email:Smtp:*</c>. Without a host, mail goes to the dev mailbox.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Email:Smtp";

    /// <summary>The SMTP server; empty: no SMTP.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>The From address of every message.</summary>
    [EmailAddress]
    public string? Sender { get; set; }

    /// <summary><c>StartTls</c> (default: TLS required after connecting), <c>Tls</c> (TLS from the first byte, usually port 465), or <c>None</c> (loopback hosts only).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>The user name to authenticate with; empty: no authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>The password. Set this or <see cref="PasswordParameterName"/>, not both.</summary>
    public string? Password { get; set; }

    /// <summary>The SSM SecureString parameter that holds the password, read once at the first message.</summary>
    public string? PasswordParameterName { get; set; }

    /// <summary>How long connecting and sending one message may take, 1 to 300 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

public enum SmtpSecurity
{
    StartTls,
    Tls,
    None,
}
