namespace SaasOnboarding.Api.Tests.Users;

/// <summary>
/// The ways back from ordinary accidents, through the HTTP API on the local provider: a user disabled by mistake
/// enabled again, an invitation sent again, a password changed, a forgotten password reset with an emailed code,
/// and sign-in with an email address instead of a user name. The app sends its mail by SMTP to MailDev, and the
/// tests read it back from there.
/// </summary>
public sealed class AccountRecoveryTests(SmtpApp app) : IClassFixture<SmtpApp>
{
    private const string ResetPassword = "R3set-Passw0rd!";

    [Fact]
    public async Task ADisabledUserEnabledAgainSignsInAgainAndOnlyItsTenantsAdminOrTheProviderMayEnableIt()
    {
        var tenant = await app.OnboardAsync();
        var userName = "back-" + tenant.TenantId[..8];
        var userTokens = await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        var other = await app.OnboardAsync();
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var client = app.CreateClient();
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        using (var otherAdmin = app.Client(other.AdminTokens.IdToken))
        {
            await (await otherAdmin.PostAsync($"/user/{userName}/enable", null)).ShouldBe(HttpStatusCode.NotFound);
        }

        using (var self = app.Client(userTokens.IdToken))
        {
            // Its tokens are refused while it is disabled.
            await (await self.PostAsync($"/user/{userName}/enable", null)).ShouldBe(HttpStatusCode.Unauthorized);
        }

        var enabled = await admin.PostAsync($"/user/{userName}/enable", null);
        await enabled.ShouldBe(HttpStatusCode.OK);
        Assert.True((await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.NotNull(enabled.Headers.ETag);
        await app.SignInAsync(userName, ApiClient.NewPassword);
        using (var self = app.Client(userTokens.IdToken))
        {
            await (await self.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        }

        // The provider may enable it too; a stale If-Match changes nothing.
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/user/{userName}/enable");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");
        await (await system.SendAsync(stale)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await system.PostAsync($"/user/{userName}/enable", null)).ShouldBe(HttpStatusCode.OK);
        await app.SignInAsync(userName, ApiClient.NewPassword);
    }

    [Fact]
    public async Task AUserOfAnInactiveTenantIsNotEnabledAndTheRefusalSaysWhy()
    {
        var tenant = await app.OnboardAsync();
        var userName = "inactive-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        var refused = await system.PostAsync($"/user/{userName}/enable", null);

        var problem = await refused.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("Tenant is not active", problem.GetProperty("title").GetString());
        var user = await system.GetFromJsonAsync<JsonElement>($"/user/{userName}");
        Assert.False(user.GetProperty("enabled").GetBoolean());

        // Every user of the tenant at once: refused alike, by the same rule.
        var all = await system.PutAsync($"/users/enable/{tenant.TenantId}", null);
        Assert.Equal("Tenant is not active", (await all.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("title").GetString());
        Assert.False((await system.GetFromJsonAsync<JsonElement>($"/user/{userName}")).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task AResentInvitationMailsANewTemporaryPasswordAndTheOldOneStopsWorking()
    {
        var tenant = await app.OnboardAsync();
        var userName = "invited-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        var first = await app.TemporaryPasswordAsync(userName);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var client = app.CreateClient();

        using (var other = app.Client((await app.OnboardAsync()).AdminTokens.IdToken))
        {
            await (await other.PostAsync($"/user/{userName}/invitation", null)).ShouldBe(HttpStatusCode.NotFound);
        }

        await (await admin.PostAsync($"/user/{userName}/invitation", null)).ShouldBe(HttpStatusCode.OK);
        var second = await MailDev.TemporaryPasswordAsync(userName, count: 2);
        Assert.NotEqual(first, second);
        await (await client.PostAsJsonAsync("/auth/signin", new { userName, password = first })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        // The provider may resend it too; then the user signs in with the newest.
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        await (await system.PostAsync($"/user/{userName}/invitation", null)).ShouldBe(HttpStatusCode.OK);
        await MailDev.TemporaryPasswordAsync(userName, count: 3);
        await app.FirstSignInAsync(userName);

        // Once it has chosen its password there is no invitation to resend.
        var problem = await (await admin.PostAsync($"/user/{userName}/invitation", null)).ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("User has signed in", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ADisabledUsersInvitationIsNotResent()
    {
        var tenant = await app.OnboardAsync();
        var userName = "off-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        var problem = await (await admin.PostAsync($"/user/{userName}/invitation", null)).ShouldBeProblem(HttpStatusCode.Conflict);

        Assert.Equal("User is disabled", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ASignedInUserChangesItsPasswordAndItsOtherSessionsEnd()
    {
        var tenant = await app.OnboardAsync();
        var userName = "changer-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        var session = await app.SignInAsync(userName, ApiClient.NewPassword);
        using var self = app.Client(session.IdToken);
        using var anonymous = app.CreateClient();

        await (await anonymous.PostAsJsonAsync("/auth/change-password", new { previousPassword = ApiClient.NewPassword, newPassword = ResetPassword }))
            .ShouldBe(HttpStatusCode.Unauthorized);
        await (await self.PostAsJsonAsync("/auth/change-password", new { previousPassword = "Wr0ng-Passw0rd!", newPassword = ResetPassword }))
            .ShouldNameFields("previousPassword");
        await (await self.PostAsJsonAsync("/auth/change-password", new { previousPassword = ApiClient.NewPassword, newPassword = "weak" }))
            .ShouldNameFields("newPassword");
        await (await self.PostAsJsonAsync("/auth/change-password", new { })).ShouldNameFields("previousPassword", "newPassword");

        await (await self.PostAsJsonAsync("/auth/change-password", new { previousPassword = ApiClient.NewPassword, newPassword = ResetPassword }))
            .ShouldBe(HttpStatusCode.NoContent);

        await (await anonymous.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await app.SignInAsync(userName, ResetPassword);
        await (await anonymous.PostAsJsonAsync("/auth/refresh", new { refreshToken = session.RefreshToken })).ShouldBeProblem(HttpStatusCode.Unauthorized);

        // The ID token in use works until it expires.
        await (await self.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AForgottenPasswordIsResetWithTheMailedCodeWhichWorksOnce()
    {
        var tenant = await app.OnboardAsync();
        var userName = "forgetful-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        var session = await app.SignInAsync(userName, ApiClient.NewPassword);
        using var client = app.CreateClient();

        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName })).ShouldBe(HttpStatusCode.Accepted);
        var code = await MailDev.ResetCodeAsync(userName);
        var mail = (await MailDev.MessagesAboutAsync(userName)).First(m => m.Subject == "Your password reset code");
        Assert.Equal(("no-reply@saas.test", userName + "@example.com"), (mail.From, mail.To));

        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code = WrongCode(code), newPassword = ResetPassword }))
            .ShouldNameFields("code");
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code, newPassword = "weak" }))
            .ShouldNameFields("newPassword");
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code, newPassword = ResetPassword }))
            .ShouldBe(HttpStatusCode.NoContent);

        await app.SignInAsync(userName, ResetPassword);
        await (await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/auth/refresh", new { refreshToken = session.RefreshToken })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code, newPassword = "An0ther-Passw0rd!" }))
            .ShouldNameFields("code");
        await app.SignInAsync(userName, ResetPassword);
    }

    [Fact]
    public async Task ACodeIsDeadAfterFiveWrongTries()
    {
        var tenant = await app.OnboardAsync();
        var userName = "guesser-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        using var client = app.CreateClient();
        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName })).ShouldBe(HttpStatusCode.Accepted);
        var code = await MailDev.ResetCodeAsync(userName);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code = WrongCode(code), newPassword = ResetPassword }))
                .ShouldNameFields("code");
        }

        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code, newPassword = ResetPassword })).ShouldNameFields("code");
        await app.SignInAsync(userName, ApiClient.NewPassword);

        // A new request gives a new code that works.
        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName })).ShouldBe(HttpStatusCode.Accepted);
        var fresh = await MailDev.ResetCodeAsync(userName, count: 2);
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code = fresh, newPassword = ResetPassword })).ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ForgotPasswordAnswersAStrangerAsItAnswersAUserAndMailsNobody()
    {
        var tenant = await app.OnboardAsync();
        var invited = "unsigned-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, invited);
        using var client = app.CreateClient();
        var stranger = "nobody-" + tenant.TenantId[..8];

        var answers = new[]
        {
            await client.PostAsJsonAsync("/auth/forgot-password", new { userName = stranger }),
            await client.PostAsJsonAsync("/auth/forgot-password", new { userName = invited }),
            await client.PostAsJsonAsync("/auth/forgot-password", new { userName = tenant.AdminUserName, pool = "operations" }),
        };

        foreach (var answer in answers)
        {
            await answer.ShouldBe(HttpStatusCode.Accepted);
            Assert.Equal(string.Empty, await answer.Content.ReadAsStringAsync());
        }

        // A code mailed to anyone would be there by now: the app answers once the server has the message.
        var known = "known-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, known);
        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName = known })).ShouldBe(HttpStatusCode.Accepted);
        await MailDev.ResetCodeAsync(known);
        foreach (var userName in new[] { stranger, invited })
        {
            Assert.DoesNotContain(await MailDev.MessagesAboutAsync(userName), m => m.Subject == "Your password reset code");
        }

        await (await client.PostAsJsonAsync("/auth/forgot-password", new { })).ShouldNameFields("userName");
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName = invited, code = "123456", newPassword = ResetPassword }))
            .ShouldNameFields("code");
    }

    [Fact]
    public async Task AnEmailThatNamesOneUserSignsItInAndOneTwoUsersShareAsksForTheUserNameOnlyWithARightPassword()
    {
        var tenant = await app.OnboardAsync();
        var suffix = tenant.TenantId[..8];
        var (alone, first, second) = ("alone-" + suffix, "first-" + suffix, "second-" + suffix);
        var (own, shared) = ($"own-{suffix}@example.com", $"shared-{suffix}@example.com");
        await CreateUserAsync(tenant, alone, own);
        await CreateUserAsync(tenant, first, shared);
        await CreateUserAsync(tenant, second, shared);
        using var client = app.CreateClient();

        var byEmail = await app.SignInAsync(own.ToUpperInvariant(), ApiClient.NewPassword);
        using (var signedIn = app.Client(byEmail.IdToken))
        {
            // The token is the user's: it reads itself by its user name.
            await (await signedIn.GetAsync($"/user/{alone}")).ShouldBe(HttpStatusCode.OK);
        }

        var ambiguous = await client.PostAsJsonAsync("/auth/signin", new { userName = shared, password = ApiClient.NewPassword });
        var problem = await ambiguous.ShouldNameFields("userName");
        Assert.Contains("user name", problem.GetProperty("errors").GetProperty("userName")[0].GetString(), StringComparison.Ordinal);

        // Without the right password, a shared address, a user's address and an unknown one answer alike.
        foreach (var userName in new[] { shared, own, $"nobody-{suffix}@example.com" })
        {
            var refused = await client.PostAsJsonAsync("/auth/signin", new { userName, password = "Wr0ng-Passw0rd!" });
            var body = await refused.ShouldBeProblem(HttpStatusCode.Unauthorized);
            Assert.Equal("Not authorized", body.GetProperty("title").GetString());
        }

        await app.SignInAsync(first, ApiClient.NewPassword);
        await app.SignInAsync(second, ApiClient.NewPassword);
    }

    [Fact]
    public async Task WrongPasswordsForASharedEmailLockOutNoneOfTheUsersSharingIt()
    {
        var tenant = await app.OnboardAsync();
        var suffix = tenant.TenantId[..8];
        var (first, second, shared) = ("one-" + suffix, "two-" + suffix, $"both-{suffix}@example.com");
        await CreateUserAsync(tenant, first, shared);
        await CreateUserAsync(tenant, second, shared);
        using var client = app.CreateClient();

        // More wrong passwords than a lockout takes: by user name they would lock the account.
        for (var i = 0; i <= SaasOnboarding.Api.Identity.Local.LocalSignInFailures.FailuresBeforeLockout; i++)
        {
            await (await client.PostAsJsonAsync("/auth/signin", new { userName = shared, password = "Wr0ng-Passw0rd!" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        await app.SignInAsync(first, ApiClient.NewPassword);
        await app.SignInAsync(second, ApiClient.NewPassword);
    }

    /// <summary>A user of the tenant with this email address, signed in once with <see cref="ApiClient.NewPassword"/>.</summary>
    private async Task CreateUserAsync(OnboardedTenant tenant, string userName, string email)
    {
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.PostAsJsonAsync("/user", new { userName, userEmail = email, userRole = "TenantUser" })).ShouldBe(HttpStatusCode.Created);
        await app.FirstSignInAsync(userName);
    }

    private static string WrongCode(string code) => code == "000000" ? "000001" : "000000";
}
