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
    public async Task SignInFailuresAndTheLockOutAreTheUsersTenantsEntriesWhileTheAnswersMatchThoseOfANameNobodyHas()
    {
        var tenant = await app.OnboardAsync();
        using var client = app.CreateClient();
        var nobody = "nobody-" + tenant.TenantId[..8];
        var start = DateTimeOffset.UtcNow;
        var answers = new List<(HttpStatusCode Status, string Body)>();
        var strangers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 6; i++)
        {
            var known = await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Wrong-Passw0rd!" + i });
            answers.Add((known.StatusCode, Scrubbed(await known.Content.ReadAsStringAsync())));
            var unknown = await client.PostAsJsonAsync("/auth/signin", new { userName = nobody, password = "Wrong-Passw0rd!" + i });
            strangers.Add((unknown.StatusCode, Scrubbed(await unknown.Content.ReadAsStringAsync())));
        }

        var entries = (await Catalog.ListAuditAsync(new AuditQuery(Action: "POST /auth/signin", From: start), 100, null, CancellationToken.None)).Items
            .Where(entry => entry.Target == tenant.AdminUserName)
            .Reverse()
            .ToList();

        Assert.Equal(strangers, answers);
        Assert.Equal(6, entries.Count);
        Assert.All(entries[..5], entry => Assert.Equal((AuditOutcomes.Refused, 401, "anonymous", tenant.TenantId), (entry.Outcome, entry.Status, entry.Actor, entry.TenantId)));
        Assert.Equal((AuditTrail.LockedOut, 401, tenant.TenantId), (entries[5].Outcome, entries[5].Status, entries[5].TenantId));
        var ofNobody = (await Catalog.ListAuditAsync(new AuditQuery(Action: "POST /auth/signin", From: start), 100, null, CancellationToken.None)).Items
            .Where(entry => entry.Target == nobody)
            .ToList();
        Assert.Equal(6, ofNobody.Count);
        Assert.All(ofNobody, entry => Assert.Null(entry.TenantId));

        using var admin = app.Client(tenant.AdminTokens.IdToken);
        var seen = await ReadAllAsync(admin, $"/audit?action={Uri.EscapeDataString("POST /auth/signin")}&limit=4");
        Assert.Equal(entries.Select(entry => entry.Id).Reverse(), seen.Select(entry => entry.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task OneTenantsListingMergesItsProductAndOrderChangesWithTheCatalogsEntriesPageByPage()
    {
        var tenant = await app.OnboardAsync();
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        var start = DateTimeOffset.UtcNow;
        var made = new List<string>();
        async Task Do(Task<HttpResponseMessage> call, HttpStatusCode status, string action)
        {
            await (await call).ShouldBe(status);
            made.Add(action);
        }

        await Do(admin.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "1 Merge Road" }), HttpStatusCode.OK, "PUT /tenant/{tenantId}");
        var created = await admin.PostAsJsonAsync("/product", new { name = "Merged", description = "One", sku = "MERGE-1", price = 2.5m, quantity = 9 });
        await created.ShouldBe(HttpStatusCode.Created);
        made.Add("POST /product");
        var productId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Do(admin.PostAsJsonAsync("/product", new { name = "Again", sku = "merge-1", price = 1m, quantity = 1 }), HttpStatusCode.Conflict, "POST /product");
        await Do(admin.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "2 Merge Road" }), HttpStatusCode.OK, "PUT /tenant/{tenantId}");
        var order = await admin.PostAsJsonAsync("/order", new { orderName = "Merged order", orderProducts = new[] { new { productId, quantity = 2 } } });
        await order.ShouldBe(HttpStatusCode.Created);
        made.Add("POST /order");
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Do(admin.PutAsJsonAsync($"/order/{orderId}", new { orderStatus = "shipped" }), HttpStatusCode.OK, "PUT /order/{id}");
        await Do(admin.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "3 Merge Road" }), HttpStatusCode.OK, "PUT /tenant/{tenantId}");
        await Do(admin.DeleteAsync($"/order/{orderId}"), HttpStatusCode.NoContent, "DELETE /order/{id}");
        await Do(admin.DeleteAsync($"/product/{productId}"), HttpStatusCode.NoContent, "DELETE /product/{id}");

        var merged = await ReadAllAsync(admin, $"/audit?limit=2&from={Uri.EscapeDataString(start.ToString("O"))}");

        made.Reverse();
        Assert.Equal(made, merged.Select(entry => entry.GetProperty("action").GetString()));
        Assert.Equal(merged.Count, merged.Select(entry => entry.GetProperty("id").GetString()).Distinct().Count());
        var times = merged.Select(entry => entry.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.All(merged, entry => Assert.Equal(tenant.TenantId, entry.GetProperty("tenantId").GetString()));
        Assert.Equal(
            [AuditOutcomes.Refused],
            merged.Where(entry => entry.GetProperty("action").GetString() == "POST /product" && entry.GetProperty("target").ValueKind == JsonValueKind.Null)
                .Select(entry => entry.GetProperty("outcome").GetString()));
        // A data-plane change is recorded once, in the tenant's database: the catalog holds only its refusal.
        var inCatalog = (await Catalog.ListAuditAsync(new AuditQuery(TenantId: tenant.TenantId, From: start), 100, null, CancellationToken.None)).Items;
        Assert.Equal(["PUT /tenant/{tenantId}", "PUT /tenant/{tenantId}", "POST /product", "PUT /tenant/{tenantId}"], inCatalog.Select(entry => entry.Action));

        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var orders = await ReadAllAsync(system, $"/audit?tenantId={tenant.TenantId}&limit=1&action={Uri.EscapeDataString("PUT /order/{id}")}");
        Assert.Equal(orderId, Assert.Single(orders).GetProperty("target").GetString());
        Assert.Equal(tenant.AdminUserName, orders[0].GetProperty("actor").GetString());
        var everyone = await ReadAllAsync(system, $"/audit?from={Uri.EscapeDataString(start.ToString("O"))}&actor={tenant.AdminUserName}");
        Assert.DoesNotContain(everyone, entry => entry.GetProperty("action").GetString() == "DELETE /product/{id}");
        await (await admin.GetAsync("/audit?nextToken=" + PageTokens.Encode("audit", "x"))).ShouldNameFields("nextToken");
    }

    /// <summary>An answer's body without its trace id, which differs per request.</summary>
    private static string Scrubbed(string body) => TraceId().Replace(body, "");

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
    public async Task TheRetentionPassPrunesTheTenantsOwnLogsAFewTenantsAPassGoingOnWhereTheLastStopped()
    {
        using var factory = new AppFactory(null, new Dictionary<string, string?> { ["Audit:TenantsPerPass"] = "1" });
        var tenants = new[] { await factory.OnboardAsync(), await factory.OnboardAsync() };
        var databases = factory.Services.GetRequiredService<ITenantDatabases>();
        var old = DateTimeOffset.UtcNow.AddDays(-400);
        foreach (var tenant in tenants)
        {
            var entries = new Queue<DateTimeOffset>([old, DateTimeOffset.UtcNow]);
            var database = databases.Open(tenant.TenantId, () =>
            {
                var time = StoredTime.Truncate(entries.Dequeue());
                return new AuditEntry(Guid.CreateVersion7(time).ToString(), time, "keeper", "Tenant", tenant.TenantId, "POST /product", null, AuditOutcomes.Succeeded, null, null, null);
            });
            await database.CreateProductAsync(new ProductDraft("Old", null, "OLD-1", 1m, 1, 0), CancellationToken.None);
            await database.CreateProductAsync(new ProductDraft("New", null, "NEW-1", 1m, 1, 0), CancellationToken.None);
        }

        // Each tenant's count of entries, smallest first.
        async Task<string> CountsAsync() => string.Join(' ', (await Task.WhenAll(tenants.Select(async tenant =>
            (await databases.Open(tenant.TenantId).ListAuditAsync(new AuditQuery(), 10, CancellationToken.None)).Count))).Order());
        var retention = factory.Services.GetRequiredService<AuditRetention>();

        Assert.Equal("2 2", await CountsAsync());
        Assert.Equal(1, await retention.PruneAsync(CancellationToken.None));
        Assert.Equal("1 2", await CountsAsync());
        Assert.Equal(1, await retention.PruneAsync(CancellationToken.None));
        Assert.Equal("1 1", await CountsAsync());
        // A round is over: the next starts again at the first tenant, with nothing left to prune.
        Assert.Equal(0, await retention.PruneAsync(CancellationToken.None));
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

    [GeneratedRegex(@"""traceId"":""[^""]*""")]
    private static partial Regex TraceId();
}
