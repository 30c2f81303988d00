using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Stores.Tests.Fauna;

/// <summary><c>Storage:Provider=Fauna</c> through the real host: the key from SSM, the parent schema at start, the scoped child client.</summary>
public sealed class FaunaStorageSetupTests
{
    private const string ParameterName = "/saas-onboarding/fauna/parent-key";
    private const string SsmSecret = "fnAEfromSSMparentKEY-9f3c";

    [Fact]
    public async Task TheAppOnFaunaReadsItsKeyFromSSMOnceCreatesTheParentSchemaAndLogsNoSecret()
    {
        await using var ssm = await FakeSsm.StartAsync(new Dictionary<string, (string, string)> { [ParameterName] = ("SecureString", SsmSecret) });
        using var node = new LenientFaunaNode();
        using var app = new AppFactory(
            null,
            new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Fauna",
                ["Storage:Fauna:SecretParameterName"] = ParameterName,
                ["AWS:ServiceURL"] = ssm.Url.ToString(),
                ["AWS:Region"] = "us-east-1",
            },
            services =>
            {
                services.AddKeyedSingleton<HttpMessageHandler>(FaunaClient.HttpHandlerKey, node);
                services.AddSingleton<AWSCredentials>(new BasicAWSCredentials("AKIDTEST", "test-secret-key"));
            });
        using var client = app.CreateClient();
        var tenantId = TenantIds.New();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set("tenant-admin-" + tenantId, UserPool.Tenant, "TenantAdmin", tenantId);
            var database = scope.ServiceProvider.GetRequiredService<ITenantDatabase>();
            Assert.IsType<FaunaTenantDatabase>(Assert.IsType<TracedTenantDatabase>(database).Store);
            Assert.Null(await database.GetProductAsync("1", CancellationToken.None));
        }

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.IsType<FaunaTenantCatalog>(app.Services.GetRequiredService<ITenantCatalog>());
        Assert.IsType<FaunaTenantDatabases>(app.Services.GetRequiredService<ITenantDatabases>());

        var call = Assert.Single(ssm.Calls);
        Assert.True(call.Body.GetProperty("WithDecryption").GetBoolean());

        var requests = node.Received;
        var parentSteps = requests.Where(request => request.Header("X-Query-Tags") == "operation=schema_migrate" && request.Header("Authorization") == "Bearer " + SsmSecret);
        // Migration 1's three collections, then migration 2's index on tenant, then migration 3's two collections,
        // migration 4's three, migration 5's three, and migration 6's collection, its sequences read from the
        // events, and its index on the events.
        Assert.Equal(
            ["tenant", "tenantUser", "onboardingJournal", "tenant", "auditEntry", "outboxEvent", "webhookEndpoint", "webhookCursor", "webhookDelivery", "lease", "accessRevision", "rateWindow", "outboxSequence", "outboxEvent", "outboxEvent"],
            parentSteps.Select(request => request.QueryText.Split('"')[1]));
        Assert.All(
            requests.Where(request => request.Header("Authorization")!.Split(':').Length == 1),
            request => Assert.Equal("Bearer " + SsmSecret, request.Header("Authorization")));
        var scoped = Assert.Single(requests, request => request.Header("X-Query-Tags") == "operation=product_get");
        Assert.Equal($"Bearer {SsmSecret}:tenant_{tenantId}:server", scoped.Header("Authorization"));

        // The child's schema version is checked (and here the child brought to the latest) before its first query,
        // through the key scoped to it as admin.
        Assert.Equal(
            $"Bearer {SsmSecret}:tenant_{tenantId}:admin",
            Assert.Single(requests, request => request.Header("X-Query-Tags") == "operation=schema_version" && request.Header("Authorization") != "Bearer " + SsmSecret).Header("Authorization"));

        Assert.NotEmpty(app.Logs.Lines);
        Assert.DoesNotContain(SsmSecret, app.Logs.All(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "Storage:Fauna:SecretParameterName")]
    [InlineData("fnAEkey", "/saas/key", "Set exactly one of Storage:Fauna:Secret")]
    public void TheAppRefusesToStartWithoutExactlyOneSourceForTheKeyAndNamesTheSettings(string? secret, string? parameter, string expected)
    {
        var error = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Fauna",
            ["Storage:Fauna:Secret"] = secret,
            ["Storage:Fauna:SecretParameterName"] = parameter,
        }));

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("fnAEkey", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppRefusesAnEndpointThatIsNotAnHttpAddress()
    {
        var error = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Fauna",
            ["Storage:Fauna:Secret"] = "fnAEkey",
            ["Storage:Fauna:Endpoint"] = "localhost:8443",
        }));

        Assert.Contains("Storage:Fauna:Endpoint", error, StringComparison.Ordinal);
    }

    /// <summary>Answers whatever the app asks at start (schema, journal, tenants due for purge, ping) and records every request.</summary>
    private sealed class LenientFaunaNode : HttpMessageHandler
    {
        private readonly ConcurrentQueue<FaunaRequest> _received = new();

        public IReadOnlyList<FaunaRequest> Received => _received.ToList();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var received = new FaunaRequest(request, await request.Content!.ReadAsStringAsync(cancellationToken));
            _received.Enqueue(received);
            var text = received.QueryText;
            return FaunaFake.Ok(
                received.Header("X-Query-Tags") == "operation=schema_version" ? """{"recorded":null,"exists":false}"""
                : received.Header("X-Query-Tags") == "operation=audit_prune" ? """{"@int":"0"}"""
                : received.Header("X-Query-Tags") == "operation=webhook_due" ? "[]"
                : text.StartsWith("if (Collection.byName(", StringComparison.Ordinal) ? "true"
                : text.Contains("sortedByUpdatedAt", StringComparison.Ordinal) || text.Contains("byStatus(", StringComparison.Ordinal) ? """{"@set":{"data":[]}}"""
                : text.StartsWith("Collection.byName(", StringComparison.Ordinal) ? "true"
                : "null");
        }
    }
}
