using Microsoft.Extensions.DependencyInjection;

namespace SaasOnboarding.Api.Tests.Users;

/// <summary>
/// The local provider's mail by SMTP (<c>Email:Smtp:*</c>): settings checked at start, and a mail server that does
/// not take the message leaves nothing behind.
/// </summary>
public sealed class SmtpMailTests
{
    [Theory]
    [InlineData("smtp.example.com", "None", "no-reply@saas.test", "Email:Smtp:Security may be None only for a loopback host")]
    [InlineData("127.0.0.1", "None", null, "Email:Smtp:Sender is required")]
    public void WrongSmtpSettingsStopTheAppNamingTheSetting(string host, string security, string? sender, string expected)
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = host,
            ["Email:Smtp:Security"] = security,
            ["Email:Smtp:Sender"] = sender,
        }));

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AUserNameWithoutAPasswordIsRefused()
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "localhost",
            ["Email:Smtp:Security"] = "None",
            ["Email:Smtp:Sender"] = "no-reply@saas.test",
            ["Email:Smtp:UserName"] = "someone",
        }));

        Assert.Contains("Email:Smtp:UserName and a password", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvitationTheMailServerRefusesLeavesNoUserAndAnswers503()
    {
        var settings = MailDev.SmtpSettings();
        settings["Email:Smtp:Password"] = "not-the-password";
        using var app = new AppFactory(null, settings);
        using var client = app.CreateClient();

        var registration = await client.PostAsJsonAsync("/registration", new { tenantName = "Unmailed " + Guid.NewGuid().ToString("N")[..8], tenantEmail = "owner@example.com", tenantTier = "Basic" });

        // The registration saga undoes its steps: no tenant admin is left without its password.
        Assert.True((int)registration.StatusCode >= 500, $"Expected a server-side failure, got {(int)registration.StatusCode}.");
        var directory = app.Services.GetRequiredService<SaasOnboarding.Api.Identity.IUserDirectory>();
        var users = await directory.ListUsersAsync(SaasOnboarding.Api.Identity.UserPool.Tenant, 10, null, default);
        Assert.Empty(users.Items);
        Assert.Contains(app.Logs.Lines, line => line.Contains("by SMTP to 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("not-the-password", StringComparison.Ordinal));
    }
}
