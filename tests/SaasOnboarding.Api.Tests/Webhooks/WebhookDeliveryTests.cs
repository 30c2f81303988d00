using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Api.Tests.Webhooks;

/// <summary>
/// The outbox delivered to a real receiver on loopback (docs/webhooks.md), with the store of <typeparamref name="TApp"/>:
/// every lifecycle change arrives once, signed, in its tenant's order; a receiver that fails holds back its tenant's
/// later events and no other tenant's; an event that fails every attempt is logged as failed and passed; an undone
/// registration sends nothing. (Skippable: the live Fauna app reports each test skipped without a node.)
/// </summary>
public abstract class WebhookDeliveryTests<TApp> : IClassFixture<TApp>, IDisposable
    where TApp : AppFactory
{
    private readonly TApp _app;
    private readonly WebhookReceiver _receiver = new();
    private readonly FaultPlan _plan;

    protected WebhookDeliveryTests(TApp app)
    {
        _app = app;
        _plan = app.EnableFaults();
    }

    [SkippableFact]
    public async Task EveryLifecycleChangeArrivesOnceSignedAndInItsTenantsOrder()
    {
        var (_, secret) = await CreateEndpointAsync();
        var tenant = await _app.OnboardAsync();
        using var admin = _app.Client(tenant.AdminTokens.IdToken);
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        await (await admin.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "Hook Street" })).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantTier = "Premium" })).ShouldBe(HttpStatusCode.OK);
        var userName = "hooked-" + tenant.TenantId[..8];
        await _app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        await (await admin.PutAsJsonAsync($"/user/{userName}", new { userRole = "TenantAdmin" })).ShouldBe(HttpStatusCode.OK);
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await admin.PostAsync($"/user/{userName}/enable", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.PostAsync($"/tenant/{tenant.TenantId}/offboarding", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}/offboarding")).ShouldBe(HttpStatusCode.OK);
        var purged = await _app.OnboardAsync();
        await (await system.PostAsync($"/tenant/{purged.TenantId}/offboarding", null)).ShouldBe(HttpStatusCode.OK);
        Assert.True(await _app.Services.GetRequiredService<PurgeService>().PurgeDueAsync(CancellationToken.None) >= 1);

        string[] expected =
        [
            LifecycleEvents.TenantRegistered, LifecycleEvents.TenantUpdated, LifecycleEvents.TenantTierChanged, LifecycleEvents.UserCreated,
            LifecycleEvents.UserRoleChanged, LifecycleEvents.UserDisabled, LifecycleEvents.UserEnabled, LifecycleEvents.TenantDeactivated,
            LifecycleEvents.TenantActivated, LifecycleEvents.TenantOffboardingStarted, LifecycleEvents.TenantOffboardingCancelled,
        ];
        await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(tenant.TenantId).Count >= expected.Length && _receiver.Of(purged.TenantId).Count >= 3, "every event");
        await Task.Delay(500);

        var outbox = await _app.Services.GetRequiredService<ITenantCatalog>().ListOutboxAsync(tenant.TenantId, 0, 100, CancellationToken.None);
        var received = _receiver.Of(tenant.TenantId);
        Assert.Equal(expected, received.Select(r => r.Type));
        Assert.Equal(outbox.Select(e => e.Id), received.Select(r => r.EventId));
        Assert.Equal(outbox.Select(e => (long?)e.Sequence), received.Select(r => r.Sequence));
        Assert.Equal(
            [LifecycleEvents.TenantRegistered, LifecycleEvents.TenantOffboardingStarted, LifecycleEvents.TenantPurged],
            _receiver.Of(purged.TenantId).Select(r => r.Type));
        Assert.All(_receiver.Accepted, r =>
        {
            Assert.True(r.SignatureIsValid(secret), "Signature of " + r.Type);
            Assert.Equal(r.EventId, r.Id);
            Assert.StartsWith("application/cloudevents+json", r.ContentType, StringComparison.Ordinal);
            Assert.Equal("1.0", JsonDocument.Parse(r.Body).RootElement.GetProperty("specversion").GetString());
        });
        Assert.False(_receiver.Accepted.First().SignatureIsValid("whsec_" + Convert.ToBase64String(new byte[32])), "A receiver with another secret sees a bad signature.");
    }

    [SkippableFact]
    public async Task AReceiverThatFailsForAWhileGetsTheEventsLaterInOrderAndHoldsBackNoOtherTenant()
    {
        var failing = await _app.OnboardAsync();
        var other = await _app.OnboardAsync();
        var (webhookId, secret) = await CreateEndpointAsync();
        var failures = 0;

        // The failing tenant's events are refused until the other tenant's has arrived, and at least twice.
        _receiver.Answer = received =>
            received.Subject == failing.TenantId && (Interlocked.Increment(ref failures) <= 2 || _receiver.Of(other.TenantId).Count == 0) ? 503 : 204;
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        await (await system.PutAsJsonAsync($"/tenant/{failing.TenantId}", new { tenantAddress = "First Street" })).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsJsonAsync($"/tenant/{failing.TenantId}", new { tenantAddress = "Second Street" })).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsJsonAsync($"/tenant/{other.TenantId}", new { tenantAddress = "Other Street" })).ShouldBe(HttpStatusCode.OK);

        await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(failing.TenantId).Count >= 2, "the failing tenant's events");

        var delivered = _receiver.Of(failing.TenantId);
        Assert.Equal([LifecycleEvents.TenantUpdated, LifecycleEvents.TenantUpdated], delivered.Select(r => r.Type));
        Assert.True(delivered[0].Sequence < delivered[1].Sequence);
        var attempts = _receiver.All.Where(r => r.Subject == failing.TenantId).ToList();
        Assert.Equal(delivered[1].Id, attempts[^1].Id);
        Assert.All(attempts[..^1], r => Assert.Equal(delivered[0].Id, r.Id));
        Assert.All(_receiver.All, r => Assert.True(r.SignatureIsValid(secret)));
        var all = _receiver.All.ToList();
        Assert.True(all.FindIndex(r => r.Subject == other.TenantId) < all.FindIndex(r => ReferenceEquals(r, delivered[0])), "The other tenant's event waited for the failing tenant's.");
        var log = (await DeliveriesAsync(webhookId)).Where(entry => entry.GetProperty("eventId").GetString() == delivered[0].EventId).Reverse().ToList();
        Assert.Equal([.. Enumerable.Repeat("retrying", log.Count - 1), "delivered"], log.Select(entry => entry.GetProperty("outcome").GetString()));
        Assert.True(log.Count >= 3, $"{log.Count} attempts");
        Assert.Equal(Enumerable.Range(1, log.Count), log.Select(entry => entry.GetProperty("attempt").GetInt32()));
        Assert.Equal(503, log[0].GetProperty("status").GetInt32());
        Assert.True(log[0].GetProperty("nextAttemptAt").GetDateTimeOffset() > log[0].GetProperty("time").GetDateTimeOffset());
    }

    [SkippableFact]
    public async Task AnEventThatFailsEveryAttemptIsLoggedAsFailedAndTheTenantsNextEventGoesOn()
    {
        var (webhookId, _) = await CreateEndpointAsync();
        var tenant = await _app.OnboardAsync();
        _receiver.Answer = received => received.Subject == tenant.TenantId && received.Type == LifecycleEvents.TenantRegistered ? 500 : 204;
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        await (await system.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "Given Up Street" })).ShouldBe(HttpStatusCode.OK);

        await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(tenant.TenantId).Count >= 1, "the event after the one given up");

        Assert.Equal([LifecycleEvents.TenantUpdated], _receiver.Of(tenant.TenantId).Select(r => r.Type));
        Assert.Equal(WebhookSettings.MaxAttempts, _receiver.All.Count(r => r.Subject == tenant.TenantId && r.Type == LifecycleEvents.TenantRegistered));
        var last = (await DeliveriesAsync(webhookId)).First(entry => entry.GetProperty("eventType").GetString() == LifecycleEvents.TenantRegistered);
        Assert.Equal(("failed", WebhookSettings.MaxAttempts), (last.GetProperty("outcome").GetString(), last.GetProperty("attempt").GetInt32()));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextAttemptAt").ValueKind);
    }

    [SkippableFact]
    public async Task AnEndpointFiltersByTypeATestEventArrivesSignedAndAReplayResendsTheEventUnderItsOwnId()
    {
        var (webhookId, secret) = await CreateEndpointAsync([LifecycleEvents.TenantUpdated]);
        var tenant = await _app.OnboardAsync();
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        await (await system.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "Filter Street" })).ShouldBe(HttpStatusCode.OK);
        await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(tenant.TenantId).Count >= 1, "the updated event");

        var test = await system.PostAsync($"/webhooks/{webhookId}/test", null);
        await test.ShouldBe(HttpStatusCode.OK);
        var registered = (await _app.Services.GetRequiredService<ITenantCatalog>().ListOutboxAsync(tenant.TenantId, 0, 1, CancellationToken.None))[0];
        var replay = await system.PostAsJsonAsync($"/webhooks/{webhookId}/replay", new { eventId = registered.Id });
        await replay.ShouldBe(HttpStatusCode.OK);

        Assert.Equal("delivered", (await test.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal("delivered", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        var types = _receiver.Accepted.Select(r => r.Type).ToList();
        Assert.Equal(["saasonboarding.tenant.updated", "saasonboarding.webhook.test", "saasonboarding.tenant.registered"], types.Where(type => type != null).TakeLast(3));
        Assert.Equal(registered.Id, _receiver.Accepted.Last().Id);
        Assert.All(_receiver.Accepted, r => Assert.True(r.SignatureIsValid(secret)));
        await (await system.PostAsJsonAsync($"/webhooks/{webhookId}/replay", new { eventId = Guid.NewGuid().ToString() })).ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal(3, (await DeliveriesAsync(webhookId)).Count);
    }

    [SkippableFact]
    public async Task ABulkChangeSendsOneEventPerUserItChangesAndNoneForAUserAlreadyInThatState()
    {
        await CreateEndpointAsync();
        var tenant = await _app.OnboardAsync();
        var userName = "bulk-" + tenant.TenantId[..8];
        await _app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var admin = _app.Client(tenant.AdminTokens.IdToken);
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        await (await system.PutAsync($"/users/disable/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsync($"/users/disable/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await system.PutAsync($"/users/enable/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);

        await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(tenant.TenantId).Count >= 6, "the bulk changes' events");
        await Task.Delay(500);
        var received = _receiver.Of(tenant.TenantId).Select(r => (r.Type, User: JsonDocument.Parse(r.Body).RootElement.GetProperty("data").TryGetProperty("userName", out var name) ? name.GetString() : null)).ToList();
        Assert.Equal(
            [
                (LifecycleEvents.TenantRegistered, null), (LifecycleEvents.UserCreated, userName), (LifecycleEvents.UserDisabled, userName),
                (LifecycleEvents.UserDisabled, tenant.AdminUserName),
            ],
            received.Take(4));
        Assert.Equal(
            new[] { tenant.AdminUserName, userName }.Order(StringComparer.Ordinal),
            received.Skip(4).Select(r => Assert.IsType<string>(r.User)).Order(StringComparer.Ordinal));
        Assert.All(received.Skip(4), r => Assert.Equal(LifecycleEvents.UserEnabled, r.Type));
        Assert.Equal(6, received.Count);
        var audit = (await _app.Services.GetRequiredService<ITenantCatalog>().ListAuditAsync(new AuditQuery(TenantId: tenant.TenantId), 100, null, CancellationToken.None)).Items;
        Assert.Equal(2, audit.Count(entry => entry.Action == "PUT /users/disable/{tenantId}"));
    }

    [SkippableFact]
    public async Task AnUndoneRegistrationSendsNothing()
    {
        var plan = _plan;
        await CreateEndpointAsync();
        plan.Disarm();
        while (plan.TenantIdsSeen.TryDequeue(out _))
        {
        }

        plan.Arm(nameof(ITenantCatalog.SetTenantStatusAsync), FaultTiming.After);
        using var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/registration", new { tenantName = "Undone " + Guid.NewGuid().ToString("N")[..10], tenantEmail = "u@example.com", tenantTier = "Basic" });
        await response.ShouldBeProblem(HttpStatusCode.InternalServerError);
        plan.Disarm();
        var undone = Assert.Single(plan.TenantIdsSeen.Distinct());
        var later = await _app.OnboardAsync();
        await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(later.TenantId).Count >= 1, "the next registration's event");

        Assert.DoesNotContain(_receiver.All, r => r.Subject == undone);
    }

    public void Dispose()
    {
        _receiver.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(string Id, string Secret)> CreateEndpointAsync(string[]? eventTypes = null)
    {
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);

        // Each test's own receiver: the endpoints of tests before it are turned off by deleting them.
        foreach (var old in (await system.GetFromJsonAsync<JsonElement>("/webhooks?limit=100")).GetProperty("items").EnumerateArray())
        {
            await system.DeleteAsync($"/webhooks/{old.GetProperty("id").GetString()}");
        }

        var response = await system.PostAsJsonAsync("/webhooks", new { url = _receiver.Url, eventTypes });
        await response.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    private async Task<List<JsonElement>> DeliveriesAsync(string webhookId)
    {
        using var system = _app.Client((await _app.SystemAdminAsync()).IdToken);
        var entries = new List<JsonElement>();
        string? next = null;
        do
        {
            var page = await system.GetFromJsonAsync<JsonElement>($"/webhooks/{webhookId}/deliveries?limit=2" + (next is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(next)));
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (next is not null);

        return entries;
    }
}

public sealed class EmbeddedWebhookDeliveryTests(EmbeddedWebhookApp app) : WebhookDeliveryTests<EmbeddedWebhookApp>(app);

public sealed class PostgresWebhookDeliveryTests(PostgresWebhookApp app) : WebhookDeliveryTests<PostgresWebhookApp>(app);

/// <summary>On a real Fauna node; each test reports itself skipped without one (<see cref="FaunaLiveApp"/>).</summary>
[Trait("Category", "FaunaLive")]
public sealed class FaunaLiveWebhookDeliveryTests(FaunaLiveWebhookApp app) : WebhookDeliveryTests<FaunaLiveWebhookApp>(app);
