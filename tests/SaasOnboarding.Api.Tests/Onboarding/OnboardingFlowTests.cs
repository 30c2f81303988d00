using System.Net.Http.Headers;

namespace SaasOnboarding.Api.Tests.Onboarding;

/// <summary>The shared services end to end, through the real pipeline. Subclasses pick the store and identity provider.</summary>
public abstract class OnboardingFlowTests<TApp>(TApp app)
    where TApp : AppFactory
{
    protected TApp App { get; } = app;

    [SkippableFact]
    public async Task AFailedSignInIsItsUsersTenantsEntryWhichTheTenantAdminReadsAndItsAnswerIsThatOfANameNobodyHas()
    {
        var tenant = await App.OnboardAsync();
        var nobody = "nobody-" + tenant.TenantId[..8];
        using var client = App.CreateClient();

        var known = await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Wrong-Passw0rd!1" });
        var unknown = await client.PostAsJsonAsync("/auth/signin", new { userName = nobody, password = "Wrong-Passw0rd!1" });

        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
        Assert.Equal(await ProblemAsync(unknown), await ProblemAsync(known));
        using var admin = App.Client(tenant.AdminTokens.IdToken);
        var page = await admin.GetFromJsonAsync<JsonElement>($"/audit?limit=100&action={Uri.EscapeDataString("POST /auth/signin")}");
        var entries = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(entries, entry => entry.GetProperty("target").GetString() == tenant.AdminUserName
            && entry.GetProperty("outcome").GetString() == "refused" && entry.GetProperty("status").GetInt32() == 401);
        Assert.DoesNotContain(entries, entry => entry.GetProperty("target").GetString() == nobody);
    }

    /// <summary>An answer's status, type, title and detail: all of it but the trace id, which differs per request.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        string? Field(string name) => problem.TryGetProperty(name, out var value) ? value.ToString() : null;
        return $"{(int)response.StatusCode} {Field("type")} {Field("title")} {Field("detail")}";
    }

    [SkippableFact]
    public async Task TenantSignsUpManagesItselfAndIsDeactivatedAndReactivatedByTheProvider()
    {
        // Sign-up, then the first sign-in with the mailed temporary password and its challenge.
        var name = "Journey " + Guid.NewGuid().ToString("N")[..8];
        var registered = await App.RegisterAsync(name, "premium");
        Assert.Equal("tenant-admin-" + registered.TenantId, registered.TenantAdminUserName);
        var admin = await App.FirstSignInAsync(registered.TenantAdminUserName);
        using var adminClient = App.Client(admin.IdToken);

        // The tenant admin reads and updates its tenant.
        var tenant = await adminClient.GetFromJsonAsync<JsonElement>($"/tenant/{registered.TenantId}");
        Assert.Equal(name, tenant.GetProperty("tenantName").GetString());
        Assert.Equal("Premium", tenant.GetProperty("tenantTier").GetString());
        Assert.True(tenant.GetProperty("isActive").GetBoolean());
        var updated = await adminClient.PutAsJsonAsync($"/tenant/{registered.TenantId}", new { tenantAddress = "2 New Road", tenantPhone = "+44 20 7946 0000" });
        await updated.ShouldBe(HttpStatusCode.OK);
        var reread = await adminClient.GetFromJsonAsync<JsonElement>($"/tenant/{registered.TenantId}");
        Assert.Equal("2 New Road", reread.GetProperty("tenantAddress").GetString());
        Assert.Equal(name, reread.GetProperty("tenantName").GetString());

        // It creates users and lists them.
        var userName = "clerk-" + Guid.NewGuid().ToString("N")[..8];
        var otherName = "buyer-" + Guid.NewGuid().ToString("N")[..8];
        var clerk = await App.AddUserAndSignInAsync(admin.IdToken, userName);
        await App.AddUserAndSignInAsync(admin.IdToken, otherName);
        var users = await adminClient.GetFromJsonAsync<JsonElement>("/users");
        var listed = users.GetProperty("items").EnumerateArray().Select(user => user.GetProperty("userName").GetString()).ToList();
        Assert.Equal(new[] { otherName, userName, registered.TenantAdminUserName }.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));

        // The tenant user reads itself and nobody else.
        using var clerkClient = App.Client(clerk.IdToken);
        var self = await clerkClient.GetFromJsonAsync<JsonElement>($"/user/{userName}");
        Assert.Equal("TenantUser", self.GetProperty("userRole").GetString());
        Assert.Equal(registered.TenantId, self.GetProperty("tenantId").GetString());
        await (await clerkClient.GetAsync($"/user/{otherName}")).ShouldBeProblem(HttpStatusCode.NotFound);

        // The provider lists tenants and deactivates this one.
        var system = await App.SystemAdminSignInAsync();
        using var systemClient = App.Client(system.IdToken);
        Assert.Contains(await AllTenantIdsAsync(systemClient), id => id == registered.TenantId);
        var deactivated = await systemClient.DeleteAsync($"/tenant/{registered.TenantId}");
        await deactivated.ShouldBe(HttpStatusCode.OK);
        Assert.False((await deactivated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isActive").GetBoolean());

        // The admin's live token fails at once; the tenant's users are disabled and cannot sign in.
        await (await adminClient.GetAsync($"/tenant/{registered.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await clerkClient.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        var disabled = await systemClient.GetFromJsonAsync<JsonElement>($"/users?tenantId={registered.TenantId}");
        Assert.All(disabled.GetProperty("items").EnumerateArray(), user => Assert.False(user.GetProperty("enabled").GetBoolean()));
        await DisabledUserIsRefusedAsync(registered.TenantAdminUserName, ApiClient.NewPassword, tenantDeactivated: true);

        // Reactivation restores both.
        await (await systemClient.PutAsync($"/tenant/activation/{registered.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await adminClient.GetAsync($"/tenant/{registered.TenantId}")).ShouldBe(HttpStatusCode.OK);
        var again = await App.SignInAsync(userName, ApiClient.NewPassword);
        using var againClient = App.Client(again.IdToken);
        await (await againClient.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task DuplicateTenantNameIgnoringCaseAnswers409AndCreatesNothing()
    {
        var name = "Dup Corp " + Guid.NewGuid().ToString("N")[..8];
        await App.RegisterAsync(name);
        var system = await App.SystemAdminAsync();
        using var systemClient = App.Client(system.IdToken);
        var before = await AllTenantIdsAsync(systemClient);

        using var client = App.CreateClient();
        var duplicate = await client.PostAsJsonAsync("/registration", new { tenantName = "  " + name.ToUpperInvariant() + " ", tenantEmail = "x@example.com", tenantTier = "Basic" });
        var problem = await duplicate.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("tenantName", problem.GetProperty("field").GetString());
        Assert.Equal(before, await AllTenantIdsAsync(systemClient));
    }

    [SkippableFact]
    public async Task TenantAdminGets404ForAnotherTenantAndItsUsers()
    {
        var first = await App.OnboardAsync();
        var second = await App.OnboardAsync();
        using var client = App.Client(first.AdminTokens.IdToken);

        await (await client.GetAsync($"/tenant/{second.TenantId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.PutAsJsonAsync($"/tenant/{second.TenantId}", new { tenantName = "Hijacked" })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/tenant/{second.TenantId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/user/{second.AdminUserName}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.PutAsJsonAsync($"/user/{second.AdminUserName}", new { userEmail = "evil@example.com" })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/user/{second.AdminUserName}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/users?tenantId={second.TenantId}")).ShouldBeProblem(HttpStatusCode.NotFound);

        // A tenant admin that names another tenant in the body still creates the user in its own tenant.
        var userName = "forced-" + Guid.NewGuid().ToString("N")[..8];
        var created = await client.PostAsJsonAsync("/user", new { userName, userEmail = "f@example.com", userRole = "TenantUser", tenantId = second.TenantId });
        await created.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(first.TenantId, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString());

        // And the second tenant is untouched.
        using var secondClient = App.Client(second.AdminTokens.IdToken);
        var tenant = await secondClient.GetFromJsonAsync<JsonElement>($"/tenant/{second.TenantId}");
        Assert.Equal(second.TenantName, tenant.GetProperty("tenantName").GetString());
        var secondUsers = await secondClient.GetFromJsonAsync<JsonElement>("/users");
        Assert.Single(secondUsers.GetProperty("items").EnumerateArray());
    }

    [SkippableFact]
    public async Task TenantUserCannotManageUsersOrTheTenant()
    {
        var tenant = await App.OnboardAsync();
        var userName = "plain-" + Guid.NewGuid().ToString("N")[..8];
        var user = await App.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var client = App.Client(user.IdToken);

        await (await client.PostAsJsonAsync("/user", new { userName = "x" + userName, userEmail = "x@example.com", userRole = "TenantUser" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.PutAsJsonAsync($"/user/{userName}", new { userRole = "TenantAdmin" })).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/user/{tenant.AdminUserName}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Forbidden);

        using var adminClient = App.Client(tenant.AdminTokens.IdToken);
        var self = await adminClient.GetFromJsonAsync<JsonElement>($"/user/{userName}");
        Assert.Equal("TenantUser", self.GetProperty("userRole").GetString());
    }

    [SkippableFact]
    public async Task TenantAdminCannotActivateChangeItsTierOrCreateSystemAdmins()
    {
        var tenant = await App.OnboardAsync(tier: "Basic");
        using var client = App.Client(tenant.AdminTokens.IdToken);

        await (await client.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBeProblem(HttpStatusCode.Forbidden);
        var tier = await client.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantTier = "Platinum" });
        Assert.Equal("tenantTier", (await tier.ShouldBeProblem(HttpStatusCode.Forbidden)).GetProperty("field").GetString());
        await (await client.PutAsync($"/users/disable/{tenant.TenantId}", null)).ShouldBeProblem(HttpStatusCode.Forbidden);
        var systemAdmin = await client.PostAsJsonAsync("/user", new { userName = "boss-" + tenant.TenantId[..8], userEmail = "b@example.com", userRole = "SystemAdmin" });
        await systemAdmin.ShouldNameFields("userRole");

        var current = await client.GetFromJsonAsync<JsonElement>($"/tenant/{tenant.TenantId}");
        Assert.Equal("Basic", current.GetProperty("tenantTier").GetString());

        // The provider may change the tier.
        var system = await App.SystemAdminAsync();
        using var systemClient = App.Client(system.IdToken);
        var changed = await systemClient.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantTier = "platinum" });
        await changed.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Platinum", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantTier").GetString());
    }

    [SkippableFact]
    public async Task SystemAdminCreatesUsersInANamedTenantAndDisablesThem()
    {
        var tenant = await App.OnboardAsync();
        var system = await App.SystemAdminAsync();
        using var systemClient = App.Client(system.IdToken);
        var userName = "ops-made-" + Guid.NewGuid().ToString("N")[..8];

        var missingTenant = await systemClient.PostAsJsonAsync("/user", new { userName, userEmail = "o@example.com", userRole = "TenantAdmin" });
        await missingTenant.ShouldNameFields("tenantId");
        var created = await systemClient.PostAsJsonAsync("/user", new { userName, userEmail = "o@example.com", userRole = "tenantadmin", tenantId = tenant.TenantId });
        await created.ShouldBe(HttpStatusCode.Created);
        Assert.EndsWith($"/user/{userName}", created.Headers.Location!.ToString(), StringComparison.Ordinal);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TenantAdmin", body.GetProperty("userRole").GetString());
        Assert.Equal("FORCE_CHANGE_PASSWORD", body.GetProperty("status").GetString());

        var duplicate = await systemClient.PostAsJsonAsync("/user", new { userName, userEmail = "o@example.com", userRole = "TenantUser", tenantId = tenant.TenantId });
        await duplicate.ShouldBeProblem(HttpStatusCode.Conflict);

        var tokens = await App.FirstSignInAsync(userName);
        using var userClient = App.Client(tokens.IdToken);
        await (await userClient.GetAsync("/users")).ShouldBe(HttpStatusCode.OK);

        // Disabling refuses its live token at once, and its sign-in.
        await (await systemClient.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await userClient.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await DisabledUserIsRefusedAsync(userName, ApiClient.NewPassword);
    }

    [SkippableFact]
    public async Task WrongPasswordAndDisabledUserGetTheSameAnswer()
    {
        var tenant = await App.OnboardAsync();
        var userName = "gone-" + Guid.NewGuid().ToString("N")[..8];
        await App.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        using var adminClient = App.Client(tenant.AdminTokens.IdToken);
        await (await adminClient.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        using var client = App.CreateClient();
        var wrong = await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Wrong-Passw0rd!" });
        var disabled = await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword });
        var unknown = await client.PostAsJsonAsync("/auth/signin", new { userName = "nobody-" + userName, password = ApiClient.NewPassword });
        var wrongProblem = await wrong.ShouldBeProblem(HttpStatusCode.Unauthorized);
        var unknownProblem = await unknown.ShouldBeProblem(HttpStatusCode.Unauthorized);
        foreach (var field in new[] { "title", "detail", "type" })
        {
            Assert.Equal(wrongProblem.GetProperty(field).GetString(), unknownProblem.GetProperty(field).GetString());
        }

        if (App.IdentityIsStandIn)
        {
            // cognito-local signs disabled users in (docs/identity-cognito.md); the app must refuse their tokens instead.
            await DisabledUserIsRefusedAsync(userName, ApiClient.NewPassword);
            return;
        }

        var disabledProblem = await disabled.ShouldBeProblem(HttpStatusCode.Unauthorized);
        foreach (var field in new[] { "title", "detail", "type" })
        {
            Assert.Equal(wrongProblem.GetProperty(field).GetString(), disabledProblem.GetProperty(field).GetString());
        }
    }

    [SkippableFact]
    public async Task RefreshTokenGivesNewIdTokensThatWork()
    {
        var tenant = await App.OnboardAndSignInAsync();
        using var client = App.CreateClient();

        // cognito-local keeps only the refresh tokens of password sign-ins, not those of the new-password challenge.
        var refreshToken = App.IdentityIsStandIn
            ? (await App.SignInAsync(tenant.AdminUserName, ApiClient.NewPassword)).RefreshToken
            : tenant.AdminTokens.RefreshToken;
        var refreshed = await client.PostAsJsonAsync("/auth/refresh", new { refreshToken });
        await refreshed.ShouldBe(HttpStatusCode.OK);
        var tokens = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
        using var adminClient = App.Client(tokens.IdToken);
        await (await adminClient.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        await (await client.PostAsJsonAsync("/auth/refresh", new { refreshToken = "not-a-refresh-token" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task AccessTokenIsNotAcceptedWhereAnIdTokenIsRequired()
    {
        var tenant = await App.OnboardAndSignInAsync();
        using var client = App.Client(tenant.AdminTokens.AccessToken);
        await (await client.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task NewPasswordMustMeetThePolicyAndTheSessionMustMatch()
    {
        var registered = await App.RegisterAsync("Policy " + Guid.NewGuid().ToString("N")[..8]);
        var temporary = await App.TemporaryPasswordAsync(registered.TenantAdminUserName);
        using var client = App.CreateClient();
        var challenge = await (await client.PostAsJsonAsync("/auth/signin", new { userName = registered.TenantAdminUserName, password = temporary })).Content.ReadFromJsonAsync<JsonElement>();
        var session = challenge.GetProperty("session").GetString();

        // cognito-local checks neither the password policy nor the session (docs/identity-cognito.md); the Cognito adapter's
        // mapping of Cognito's refusals is tested on the wire instead (CognitoWireTests).
        if (!App.IdentityIsStandIn)
        {
            var weak = await client.PostAsJsonAsync("/auth/new-password", new { userName = registered.TenantAdminUserName, session, newPassword = "password" });
            await weak.ShouldNameFields("newPassword");
            var wrongSession = await client.PostAsJsonAsync("/auth/new-password", new { userName = registered.TenantAdminUserName, session = "forged", newPassword = ApiClient.NewPassword });
            await wrongSession.ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        var good = await client.PostAsJsonAsync("/auth/new-password", new { userName = registered.TenantAdminUserName, session, newPassword = ApiClient.NewPassword });
        await good.ShouldBe(HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task TenantListPagesToTheEndAndFiltersByName()
    {
        var marker = "Pager" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await App.RegisterAsync($"{marker} {i}")).TenantId);
        }

        var system = await App.SystemAdminAsync();
        using var client = App.Client(system.IdToken);
        var seen = new List<string>();
        string? nextToken = null;
        var pages = 0;
        do
        {
            var url = $"/tenants?limit=2&search={marker.ToLowerInvariant()}" + (nextToken is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(nextToken));
            var page = await client.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(tenant => tenant.GetProperty("id").GetString()!));
            nextToken = page.GetProperty("nextToken").GetString();
            pages++;
        }
        while (nextToken is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        await (await client.GetAsync("/tenants?limit=0")).ShouldNameFields("limit");
        await (await client.GetAsync("/tenants?nextToken=garbage")).ShouldNameFields("nextToken");
    }

    [SkippableFact]
    public async Task RequestsWithoutAValidTokenAreRefused()
    {
        using var client = App.CreateClient();
        await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        await (await client.GetAsync("/users")).ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// A disabled user cannot sign in; with the right password, the local identity provider says so when its company is
    /// deactivated (<paramref name="tenantDeactivated"/>). A stand-in provider that still signs it in (cognito-local,
    /// docs/identity-cognito.md) is not relied on: then the tokens it hands out must be refused by the app.
    /// </summary>
    private async Task DisabledUserIsRefusedAsync(string userName, string password, bool tenantDeactivated = false)
    {
        using var anonymous = App.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/auth/signin", new { userName, password });
        if (!App.IdentityIsStandIn && tenantDeactivated)
        {
            var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden);
            Assert.Equal(Api.Auth.AuthApi.TenantDeactivatedType, problem.GetProperty("type").GetString());
            return;
        }

        if (!App.IdentityIsStandIn || response.StatusCode != HttpStatusCode.OK)
        {
            await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
            return;
        }

        // Refused as the live tokens of disabled users and deactivated tenants are: 401, or 403 for the tenant.
        var tokens = await response.Content.ReadFromJsonAsync<Tokens>();
        using var client = App.Client(tokens!.IdToken);
        var refused = await client.GetAsync($"/user/{userName}");
        await refused.ShouldBeProblem(refused.StatusCode == HttpStatusCode.Forbidden ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized);
    }

    private static async Task<List<string>> AllTenantIdsAsync(HttpClient client)
    {
        var ids = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/tenants?limit=100" + (nextToken is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(nextToken)));
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(tenant => tenant.GetProperty("id").GetString()!));
            nextToken = page.GetProperty("nextToken").GetString();
        }
        while (nextToken is not null);
        return ids;
    }
}

/// <summary>SQLite files and the local identity provider: what <c>dotnet run</c> uses.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedOnboardingFlowTests(EmbeddedApp app) : OnboardingFlowTests<EmbeddedApp>(app);

/// <summary>The same journeys against the app published with Native AOT, run as a child process.</summary>
[Collection(SharedAotApp.Name)]
public sealed class AotOnboardingFlowTests(AotApp app) : OnboardingFlowTests<AotApp>(app);
