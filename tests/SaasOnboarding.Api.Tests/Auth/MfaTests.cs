using Microsoft.Data.Sqlite;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>
/// TOTP MFA through the HTTP API on the local provider: set-up with a QR code and a first code, sign-in answering
/// the SOFTWARE_TOKEN_MFA challenge, wrong and replayed codes refused, the lockout wrong codes lead to, turning MFA
/// off, and SystemAdmins made to set it up. The app's clock stands still, so the test computes the codes it expects.
/// </summary>
public sealed class MfaTests(ClockedApp app) : IClassFixture<ClockedApp>
{
    private static readonly string[] Candidates = ["482913", "570264", "618375", "739486"];

    [Fact]
    public async Task AUserSetsUpMfaWithTheQrCodeAndThenSignsInWithACodeThatWorksOnce()
    {
        var userName = await NewUserAsync("mfa");
        using var client = app.CreateClient();

        var setup = await BeginSetupAsync(client, userName);
        var secret = setup.GetProperty("secretCode").GetString()!;
        var uri = setup.GetProperty("otpauthUri").GetString()!;
        Assert.StartsWith($"otpauth://totp/SaasOnboarding:{userName}?secret={secret}&issuer=SaasOnboarding", uri, StringComparison.Ordinal);
        var qrCode = setup.GetProperty("qrCode").GetString()!;
        Assert.StartsWith("data:image/png;base64,", qrCode, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], Convert.FromBase64String(qrCode["data:image/png;base64,".Length..])[..4]);

        // A wrong first code leaves MFA off; the right one turns it on.
        var session = setup.GetProperty("session").GetString();
        await (await client.PostAsJsonAsync("/auth/mfa/setup/verify", new { userName, session, code = WrongCode(secret) })).ShouldNameFields("code");
        await app.SignInAsync(userName, ApiClient.NewPassword);
        await (await client.PostAsJsonAsync("/auth/mfa/setup/verify", new { userName, session, code = app.CodeFor(secret) })).ShouldBe(HttpStatusCode.NoContent);
        using (var self = app.Client((await app.TokensForAsync(userName)).IdToken))
        {
            Assert.True((await self.GetFromJsonAsync<JsonElement>("/auth/mfa")).GetProperty("enabled").GetBoolean());
        }

        // The first code is used up: the sign-in in the same 30 seconds cannot reuse it.
        var challenge = await SignInChallengeAsync(client, userName, "SOFTWARE_TOKEN_MFA");
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session = challenge, code = app.CodeFor(secret) })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session = challenge, code = WrongCode(secret) })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = app.CodeFor(secret);
        var signedIn = await client.PostAsJsonAsync("/auth/mfa", new { userName, session = challenge, code });
        await signedIn.ShouldBe(HttpStatusCode.OK);
        var tokens = (await signedIn.Content.ReadFromJsonAsync<Tokens>())!;
        using (var self = app.Client(tokens.IdToken))
        {
            await (await self.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        }

        // The session is used up, and so is the code, in a new session too.
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session = challenge, code })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        var next = await SignInChallengeAsync(client, userName, "SOFTWARE_TOKEN_MFA");
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session = next, code })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        // A second authenticator is not set up over the first.
        var again = await client.PostAsJsonAsync("/auth/mfa/setup", new { userName, password = ApiClient.NewPassword });
        Assert.Equal("MFA is on", (await again.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task RepeatedWrongCodesLockTheAccountOutAsWrongPasswordsDo()
    {
        var userName = await NewUserAsync("lock");
        using var client = app.CreateClient();
        var secret = await TurnOnAsync(client, userName);
        var session = await SignInChallengeAsync(client, userName, "SOFTWARE_TOKEN_MFA");
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        for (var i = 0; i < LocalSignInFailures.FailuresBeforeLockout; i++)
        {
            await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session, code = WrongCode(secret) })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        // Locked: a right code not used before, and the right password, are refused alike until the lockout ends.
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session, code = app.CodeFor(secret) })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        app.Clock.Advance(LocalSignInFailures.FirstLockout + TimeSpan.FromSeconds(1));
        var fresh = await SignInChallengeAsync(client, userName, "SOFTWARE_TOKEN_MFA");
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session = fresh, code = app.CodeFor(secret) })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TurningMfaOffNeedsThePasswordOrACurrentCode()
    {
        var userName = await NewUserAsync("off");
        using var client = app.CreateClient();
        var secret = await TurnOnAsync(client, userName);
        using var self = app.Client((await app.TokensForAsync(userName)).IdToken);

        await (await client.PostAsJsonAsync("/auth/mfa/disable", new { password = ApiClient.NewPassword })).ShouldBe(HttpStatusCode.Unauthorized);
        await (await self.PostAsJsonAsync("/auth/mfa/disable", new { })).ShouldNameFields("password");
        await (await self.PostAsJsonAsync("/auth/mfa/disable", new { password = "Wr0ng-Passw0rd!" })).ShouldNameFields("password");
        await (await self.PostAsJsonAsync("/auth/mfa/disable", new { code = WrongCode(secret) })).ShouldNameFields("code");
        Assert.True((await self.GetFromJsonAsync<JsonElement>("/auth/mfa")).GetProperty("enabled").GetBoolean());

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await (await self.PostAsJsonAsync("/auth/mfa/disable", new { code = app.CodeFor(secret) })).ShouldBe(HttpStatusCode.NoContent);
        Assert.False((await self.GetFromJsonAsync<JsonElement>("/auth/mfa")).GetProperty("enabled").GetBoolean());
        await app.SignInAsync(userName, ApiClient.NewPassword);

        // On again, then off with the password.
        await TurnOnAsync(client, userName);
        await (await self.PostAsJsonAsync("/auth/mfa/disable", new { password = ApiClient.NewPassword })).ShouldBe(HttpStatusCode.NoContent);
        await app.SignInAsync(userName, ApiClient.NewPassword);
    }

    [Fact]
    public async Task TheSecretIsStoredEncryptedUnderAKeyOnlyItsOwnerReads()
    {
        var userName = await NewUserAsync("rest");
        using var client = app.CreateClient();
        var secret = await TurnOnAsync(client, userName);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, LocalIdentityDatabase.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT secret FROM totp WHERE user_name = $user";
        read.Parameters.AddWithValue("$user", userName);
        var stored = (string)(await read.ExecuteScalarAsync())!;
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.NotEqual(secret, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(stored)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(app.DataDirectory, LocalSecretKey.FileName)));
        }
    }

    [Fact]
    public async Task ASessionOfAnotherChallengeOrUserDoesNotAnswerTheCodeStep()
    {
        var userName = await NewUserAsync("cross");
        var other = await NewUserAsync("cross2");
        using var client = app.CreateClient();
        var secret = await TurnOnAsync(client, userName);
        var otherSecret = await TurnOnAsync(client, other);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var otherSession = await SignInChallengeAsync(client, other, "SOFTWARE_TOKEN_MFA");

        await (await client.PostAsJsonAsync("/auth/mfa", new { userName, session = otherSession, code = app.CodeFor(secret) })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/auth/mfa", new { userName = other, session = otherSession, code = app.CodeFor(otherSecret) })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ASystemAdminThatMustUseMfaIsSentToSetItUpAtSignInAndGetsNoTokensUntilThen()
    {
        using var required = ClockedApp.With(new Dictionary<string, string?> { ["Identity:Local:RequireMfaForSystemAdmins"] = "true" });
        using var client = required.CreateClient();
        var signIn = new { userName = "admin", password = AppFactory.AdminPassword, pool = "operations" };

        var first = await (await client.PostAsJsonAsync("/auth/signin", signIn)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MFA_SETUP", first.GetProperty("challengeName").GetString());
        Assert.False(first.TryGetProperty("idToken", out _));

        // The set-up session does not answer the code step.
        var session = first.GetProperty("session").GetString();
        await (await client.PostAsJsonAsync("/auth/mfa", new { signIn.userName, session, code = "123456", signIn.pool })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        var setup = await client.PostAsJsonAsync("/auth/mfa/setup", new { signIn.userName, session, signIn.pool });
        await setup.ShouldBe(HttpStatusCode.OK);
        var body = await setup.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secretCode").GetString()!;
        await (await client.PostAsJsonAsync("/auth/mfa/setup/verify", new { signIn.userName, session = body.GetProperty("session").GetString(), code = required.CodeFor(secret), signIn.pool }))
            .ShouldBe(HttpStatusCode.NoContent);

        required.Clock.Advance(TimeSpan.FromSeconds(30));
        var challenge = await (await client.PostAsJsonAsync("/auth/signin", signIn)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("SOFTWARE_TOKEN_MFA", challenge.GetProperty("challengeName").GetString());
        var answered = await client.PostAsJsonAsync("/auth/mfa", new { signIn.userName, session = challenge.GetProperty("session").GetString(), code = required.CodeFor(secret), signIn.pool });
        await answered.ShouldBe(HttpStatusCode.OK);
        using var admin = required.Client((await answered.Content.ReadFromJsonAsync<Tokens>())!.IdToken);
        await (await admin.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);

        // Tenant users are not made to use it.
        var tenant = await required.OnboardAndSignInAsync();
        Assert.False(string.IsNullOrEmpty(tenant.AdminTokens.IdToken));
    }

    [Fact]
    public async Task NoSecretCodeOrSessionOfMfaReachesALogLine()
    {
        var userName = await NewUserAsync("quiet");
        using var client = app.CreateClient();
        var setup = await BeginSetupAsync(client, userName);
        var secret = setup.GetProperty("secretCode").GetString()!;
        var setupSession = setup.GetProperty("session").GetString()!;
        var wrong = WrongCode(secret);
        await client.PostAsJsonAsync("/auth/mfa/setup/verify", new { userName, session = setupSession, code = wrong });
        var first = app.CodeFor(secret);
        await (await client.PostAsJsonAsync("/auth/mfa/setup/verify", new { userName, session = setupSession, code = first })).ShouldBe(HttpStatusCode.NoContent);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var challenge = await SignInChallengeAsync(client, userName, "SOFTWARE_TOKEN_MFA");
        await client.PostAsJsonAsync("/auth/mfa", new { userName, session = challenge, code = wrong });
        var code = app.CodeFor(secret);
        var answered = await client.PostAsJsonAsync("/auth/mfa", new { userName, session = challenge, code });
        await answered.ShouldBe(HttpStatusCode.OK);
        var tokens = (await answered.Content.ReadFromJsonAsync<Tokens>())!;
        using var self = app.Client(tokens.IdToken);
        await (await self.PostAsJsonAsync("/auth/mfa/disable", new { password = ApiClient.NewPassword })).ShouldBe(HttpStatusCode.NoContent);

        string[] secrets = [secret, setupSession, challenge, first, code, wrong, tokens.IdToken, tokens.RefreshToken!, ApiClient.NewPassword];
        Assert.NotEmpty(app.Logs.Lines);
        foreach (var line in app.Logs.Lines)
        {
            foreach (var value in secrets)
            {
                Assert.DoesNotContain(value, line, StringComparison.Ordinal);
            }
        }
    }

    private async Task<string> NewUserAsync(string prefix)
    {
        var tenant = await app.OnboardAsync();
        var userName = prefix + "-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        return userName;
    }

    private static async Task<JsonElement> BeginSetupAsync(HttpClient client, string userName)
    {
        var response = await client.PostAsJsonAsync("/auth/mfa/setup", new { userName, password = ApiClient.NewPassword });
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Sets MFA up for the user; answers its secret.</summary>
    private async Task<string> TurnOnAsync(HttpClient client, string userName)
    {
        var setup = await BeginSetupAsync(client, userName);
        var secret = setup.GetProperty("secretCode").GetString()!;
        await (await client.PostAsJsonAsync("/auth/mfa/setup/verify", new { userName, session = setup.GetProperty("session").GetString(), code = app.CodeFor(secret) }))
            .ShouldBe(HttpStatusCode.NoContent);
        return secret;
    }

    private static async Task<string> SignInChallengeAsync(HttpClient client, string userName, string challengeName)
    {
        var response = await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword });
        await response.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(challengeName, body.GetProperty("challengeName").GetString());
        Assert.False(body.TryGetProperty("idToken", out _));
        return body.GetProperty("session").GetString()!;
    }

    /// <summary>A six-digit code that is wrong now, and one step before and after (the drift the app allows).</summary>
    private string WrongCode(string secret)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret));
        string[] right = [totp.ComputeTotp(now.AddSeconds(-30)), totp.ComputeTotp(now), totp.ComputeTotp(now.AddSeconds(30))];
        return Candidates.First(code => !right.Contains(code));
    }
}
