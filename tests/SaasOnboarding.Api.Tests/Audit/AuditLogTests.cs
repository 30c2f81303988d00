using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Audit;

/// <summary>
/// The audit log through <c>GET /audit</c> and the entries and events the changes write (docs/audit-and-events.md).
/// That every route that changes something writes exactly one entry is checked by the endpoint matrix's walk
/// (<c>EndpointMatrixTests</c>).
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed partial class AuditLogTests(EmbeddedApp app)
{
    private ITenantCatalog Catalog => app.Services.GetRequiredService<ITenantCatalog>();

    [Fact]
    public async Task ATenantAdminReadsItsOwnTenantsEntriesOnlyAndAnotherTenantsFilterAnswers404()
    {
        var a = await app.OnboardAsync();
        var b = await app.OnboardAsync();
        using var adminA = app.Client(a.AdminTokens.IdToken);
        using var adminB = app.Client(b.AdminTokens.IdToken);
        await (await adminA.PutAsJsonAsync($"/tenant/{a.TenantId}", new { tenantAddress = "A Street" })).ShouldBe(HttpStatusCode.OK);
        await (await adminB.PutAsJsonAsync($"/tenant/{b.TenantId}", new { tenantAddress = "B Street" })).ShouldBe(HttpStatusCode.OK);

        var own = await ReadAllAsync(adminA, "/audit?limit=3");

        Assert.NotEmpty(own);
        Assert.All(own, entry => Assert.Equal(a.TenantId, entry.GetProperty("tenantId").GetString()));
        Assert.Contains(own, entry => entry.GetProperty("action").GetString() == "PUT /tenant/{tenantId}" && entry.GetProperty("actor").GetString() == a.AdminUserName);
        await (await adminA.GetAsync($"/audit?tenantId={b.TenantId}")).ShouldBe(HttpStatusCode.NotFound);
        using var user = app.Client((await app.AddUserAsync(a.AdminTokens.IdToken, "auditreader-" + a.TenantId[..8])).IdToken);
        await (await user.GetAsync("/audit")).ShouldBe(HttpStatusCode.Forbidden);

        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var ofB = await ReadAllAsync(system, $"/audit?tenantId={b.TenantId}");
        Assert.Contains(ofB, entry => entry.GetProperty("actor").GetString() == b.AdminUserName);
        Assert.All(ofB, entry => Assert.Equal(b.TenantId, entry.GetProperty("tenantId").GetString()));
    }

    [Fact]
    public async Task PagesRunNewestFirstToTheEndAndTheFiltersNarrowThem()
    {
        var tenant = await app.OnboardAsync();
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await (await admin.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = $"{i} Paging Road" })).ShouldBe(HttpStatusCode.OK);
        }

        var end = DateTimeOffset.UtcNow;
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var all = await ReadAllAsync(system, $"/audit?tenantId={tenant.TenantId}&limit=2");
        var times = all.Select(entry => entry.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.Equal(all.Count, all.Select(entry => entry.GetProperty("id").GetString()).Distinct().Count());

        var updates = await ReadAllAsync(system, $"/audit?tenantId={tenant.TenantId}&action={Uri.EscapeDataString("PUT /tenant/{tenantId}")}&limit=2");
        Assert.Equal(5, updates.Count);
        Assert.All(updates, entry => Assert.Equal(AuditOutcomes.Succeeded, entry.GetProperty("outcome").GetString()));
        var byActor = await ReadAllAsync(system, $"/audit?actor={tenant.AdminUserName}");
        Assert.Equal(5, byActor.Count(entry => entry.GetProperty("action").GetString() == "PUT /tenant/{tenantId}"));
        var inWindow = await ReadAllAsync(system, $"/audit?tenantId={tenant.TenantId}&from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}");
        Assert.Equal(5, inWindow.Count);
        var before = await ReadAllAsync(system, $"/audit?tenantId={tenant.TenantId}&to={Uri.EscapeDataString(start.ToString("O"))}");
        Assert.Equal(all.Count - 5, before.Count);

        var invalid = await system.GetAsync("/audit?from=yesterday&tenantId=nope");
        await invalid.ShouldNameFields("from", "tenantId");
    }

    [Fact]
    public async Task SignInFailuresAndTheLockOutAreRecordedWithTheUserNameAsTarget()
    {
        var tenant = await app.OnboardAsync();
        using var client = app.CreateClient();
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 6; i++)
        {
            await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Wrong-Passw0rd!" + i });
        }

        var entries = (await Catalog.ListAuditAsync(new AuditQuery(Action: "POST /auth/signin", From: start), 100, null, CancellationToken.None)).Items
            .Where(entry => entry.Target == tenant.AdminUserName)
            .Reverse()
            .ToList();

        Assert.Equal(6, entries.Count);
        Assert.All(entries[..5], entry => Assert.Equal((AuditOutcomes.Refused, 401, "anonymous"), (entry.Outcome, entry.Status, entry.Actor)));
        Assert.Equal((AuditTrail.LockedOut, 401), (entries[5].Outcome, entries[5].Status));
    }

    [Fact]
    public async Task NoEntryHoldsAPasswordATemporaryPasswordATokenOrAJwtAfterAFullFlow()
    {
        var start = DateTimeOffset.UtcNow;
        var registered = await app.RegisterAsync("Secrets " + Guid.NewGuid().ToString("N")[..10]);
        var temporary = await app.TemporaryPasswordAsync(registered.TenantAdminUserName);
        var admin = await app.FirstSignInAsync(registered.TenantAdminUserName);
        var signedIn = await app.SignInAsync(registered.TenantAdminUserName, ApiClient.NewPassword);
        using var anonymous = app.CreateClient();
        await (await anonymous.PostAsJsonAsync("/auth/refresh", new { refreshToken = signedIn.RefreshToken })).ShouldBe(HttpStatusCode.OK);
        await anonymous.PostAsJsonAsync("/auth/signin", new { userName = registered.TenantAdminUserName, password = "Almost-" + ApiClient.NewPassword });
        var userName = "secrets-" + registered.TenantId[..8];
        var user = await app.AddUserAndSignInAsync(admin.IdToken, userName);
        using var adminClient = app.Client(admin.IdToken);
        await (await adminClient.PutAsJsonAsync($"/user/{userName}", new { userRole = "TenantAdmin" })).ShouldBe(HttpStatusCode.OK);
        await (await adminClient.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        var entries = new List<AuditEntry>();
        string? next = null;
        do
        {
            var page = await Catalog.ListAuditAsync(new AuditQuery(From: start), 100, next, CancellationToken.None);
            entries.AddRange(page.Items);
            next = page.NextToken;
        }
        while (next is not null);

        Assert.True(entries.Count >= 10, $"Only {entries.Count} entries.");
        string[] secrets =
        [
            temporary, ApiClient.NewPassword, "Almost-" + ApiClient.NewPassword, admin.IdToken, admin.AccessToken, admin.RefreshToken!,
            signedIn.IdToken, signedIn.RefreshToken!, user.IdToken, user.AccessToken,
        ];
        foreach (var entry in entries)
        {
            var text = JsonSerializer.Serialize(entry);
            Assert.DoesNotMatch(Jwt(), text);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task EachLifecycleChangeWritesItsEventInTheTenantsOrder()
    {
        var tenant = await app.OnboardAsync();
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        await (await admin.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "Event Street" })).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantTier = "Premium" })).ShouldBe(HttpStatusCode.OK);
        var userName = "events-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        await (await admin.PutAsJsonAsync($"/user/{userName}", new { userRole = "TenantAdmin" })).ShouldBe(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await admin.PostAsync($"/user/{userName}/enable", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.PostAsync($"/tenant/{tenant.TenantId}/offboarding", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}/offboarding")).ShouldBe(HttpStatusCode.OK);

        var events = await Catalog.ListOutboxAsync(tenant.TenantId, 0, 100, CancellationToken.None);

        Assert.Equal(
            [
                LifecycleEvents.TenantRegistered, LifecycleEvents.TenantUpdated, LifecycleEvents.TenantTierChanged, LifecycleEvents.UserCreated,
                LifecycleEvents.UserRoleChanged, LifecycleEvents.UserDisabled, LifecycleEvents.UserEnabled, LifecycleEvents.TenantDeactivated, LifecycleEvents.TenantActivated,
                LifecycleEvents.TenantOffboardingStarted, LifecycleEvents.TenantOffboardingCancelled,
            ],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(tenant.TenantId, JsonDocument.Parse(e.Data).RootElement.GetProperty("tenantId").GetString()));
        Assert.Equal("Premium", JsonDocument.Parse(events[2].Data).RootElement.GetProperty("tenantTier").GetString());
        Assert.Equal(userName, JsonDocument.Parse(events[4].Data).RootElement.GetProperty("userName").GetString());
    }

    [Fact]
    public void ARetentionShorterThanADayStopsTheAppAtStartNamingTheSetting()
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?> { ["Audit:Retention"] = "00:00:01" }));

        Assert.Contains("Audit:Retention", message, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient client, string path)
    {
        var entries = new List<JsonElement>();
        string? next = null;
        do
        {
            var url = next is null ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "nextToken=" + Uri.EscapeDataString(next);
            var response = await client.GetAsync(url);
            await response.ShouldBe(HttpStatusCode.OK);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (next is not null);

        return entries;
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")]
    private static partial Regex Jwt();
}
