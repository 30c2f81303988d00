using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Tests.Webhooks;

/// <summary>
/// The app (a child process) is killed with SIGKILL after a change committed and before its event was delivered:
/// the next start delivers it, from the outbox.
/// </summary>
[Collection(LoadTests.Name)]
public sealed class WebhookCrashTests : IDisposable
{
    private const string WebhookSecretPrefix = "whsec_";

    private readonly string _directory = Directory.CreateTempSubdirectory("saas-webhook-crash-").FullName;
    private readonly WebhookReceiver _receiver = new();

    [Fact]
    public async Task AnEventCommittedBeforeAKillIsDeliveredAfterTheRestart()
    {
        var settings = WebhookSettings.Fast().ToDictionary(pair => pair.Key, pair => pair.Value!);

        // The first run makes no pass before it is killed: a pass waits an hour.
        var idle = new Dictionary<string, string>(settings) { ["Webhooks:DispatchInterval"] = "01:00:00" };
        string tenantId;
        string secret;
        using (var app = await ChildApp.StartAsync(_directory, idle))
        {
            using var client = app.Client();
            var signIn = await client.PostAsJsonAsync("/auth/signin", new { userName = "admin", password = AppFactory.AdminPassword, pool = "operations" });
            await signIn.ShouldBe(HttpStatusCode.OK);
            client.DefaultRequestHeaders.Authorization = new("Bearer", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("idToken").GetString());
            var created = await client.PostAsJsonAsync("/webhooks", new { url = _receiver.Url });
            await created.ShouldBe(HttpStatusCode.Created);
            secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
            var registered = await client.PostAsJsonAsync("/registration", new { tenantName = "Crash " + Guid.NewGuid().ToString("N")[..10], tenantEmail = "c@example.com", tenantTier = "Basic" });
            await registered.ShouldBe(HttpStatusCode.Created);
            tenantId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString()!;
            app.Kill();
        }

        Assert.Empty(_receiver.All);
        foreach (var file in Directory.GetFiles(_directory, "catalog.db*"))
        {
            Assert.DoesNotContain(secret[WebhookSecretPrefix.Length..], File.ReadAllText(file), StringComparison.Ordinal);
        }

        using (var restarted = await ChildApp.StartAsync(_directory, settings))
        {
            await WebhookReceiver.WaitUntilAsync(() => _receiver.Of(tenantId).Count >= 1, "the event after the restart");
            Assert.DoesNotContain(secret, restarted.Output, StringComparison.Ordinal);
        }

        var received = Assert.Single(_receiver.Of(tenantId));
        Assert.Equal("saasonboarding.tenant.registered", received.Type);
        Assert.True(received.SignatureIsValid(secret));
    }

    public void Dispose()
    {
        _receiver.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
