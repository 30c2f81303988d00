using System.Net.Http.Json;

namespace SaasOnboarding.Api.Tests.Security;

/// <summary>
/// The dev mailbox shows every new user's temporary password: it is served in Development only. Elsewhere it answers
/// 404, and the log says where the local identity provider keeps temporary passwords instead.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class DevMailboxTests(EmbeddedApp shared)
{
    [Fact]
    public async Task OutsideDevelopmentTheMailboxAnswers404AndTheLogSaysWhereTemporaryPasswordsAre()
    {
        using var app = new AppFactory { EnvironmentName = "Production" };
        var registered = await app.RegisterAsync("Mailbox Prod " + Guid.NewGuid().ToString("N")[..8]);

        using var client = app.CreateClient();
        var mailbox = await client.GetAsync("/dev/mailbox");
        await mailbox.ShouldBe(HttpStatusCode.NotFound);
        Assert.DoesNotContain("temporaryPassword", await mailbox.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // The message is still kept, where the operator of the host can read it and nobody else.
        var database = Path.Combine(app.DataDirectory, "local-idp.db");
        var temporaryPassword = LocalMailbox.TemporaryPassword(app.DataDirectory, registered.TenantAdminUserName);
        Assert.False(string.IsNullOrEmpty(temporaryPassword));
        Assert.Contains(app.Logs.Lines, line => line.Contains("/dev/mailbox is not served", StringComparison.Ordinal) && line.Contains(database, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(temporaryPassword, StringComparison.Ordinal));

        // The owner can still take the account with it: nothing else changed.
        using var challenge = await client.PostAsJsonAsync("/auth/signin", new { userName = registered.TenantAdminUserName, password = temporaryPassword });
        await challenge.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InDevelopmentTheMailboxIsServedAndNeverStored()
    {
        var app = shared;
        await app.RegisterAsync("Mailbox Dev " + Guid.NewGuid().ToString("N")[..8]);

        using var client = app.CreateClient();
        var mailbox = await client.GetAsync("/dev/mailbox");
        await mailbox.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("no-store", mailbox.Headers.CacheControl?.ToString());
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("/dev/mailbox is not served", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutsideDevelopmentAGeneratedAdminPasswordGoesToAnOwnerOnlyFileNotTheLog()
    {
        using var app = new AppFactory(null, new Dictionary<string, string?> { ["Identity:Local:AdminPassword"] = string.Empty }) { EnvironmentName = "Production" };
        using var client = app.CreateClient();
        await (await client.GetAsync("/health/ready")).ShouldBe(HttpStatusCode.OK);

        var file = Path.Combine(app.DataDirectory, "admin-password.txt");
        Assert.True(File.Exists(file), "no password file");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, line => line.Contains(file, StringComparison.Ordinal));

        var tokens = await app.SignInAsync("admin", password, pool: "operations");
        Assert.False(string.IsNullOrEmpty(tokens.IdToken));
    }

    [Fact]
    public async Task AnswersThatCarryTokensAreNeverStored()
    {
        var app = shared;
        using var client = app.CreateClient();
        var signIn = await client.PostAsJsonAsync("/auth/signin", new { userName = "admin", password = AppFactory.AdminPassword, pool = "operations" });
        await signIn.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("no-store", signIn.Headers.CacheControl?.ToString());
        var tokens = (await signIn.Content.ReadFromJsonAsync<Tokens>())!;

        var refresh = await client.PostAsJsonAsync("/auth/refresh", new { refreshToken = tokens.RefreshToken, pool = "operations" });
        await refresh.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("no-store", refresh.Headers.CacheControl?.ToString());
    }
}
