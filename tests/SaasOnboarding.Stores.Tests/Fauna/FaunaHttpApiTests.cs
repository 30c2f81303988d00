using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

/// <summary>
/// The public API on <c>Storage:Provider=Fauna</c>, with a scripted node behind it: Fauna's own answers (a unique
/// constraint failure, a transaction abort) reach the caller as 409 problem details.
/// </summary>
public sealed class FaunaHttpApiTests
{
    [Fact]
    public async Task ASecondRegistrationOfATakenNameFailsTheUniqueConstraintAndAnswers409()
    {
        using var node = new ScriptedNode();
        using var app = FaunaApp(node);

        await app.RegisterAsync("Fauna Acme Corp");
        using var client = app.CreateClient();
        var again = await client.PostAsJsonAsync("/registration", new { tenantName = "  fauna ACME   corp ", tenantEmail = "x@example.com", tenantTier = "Basic" });

        await again.ShouldBeProblem(HttpStatusCode.Conflict);
        var inserts = node.Received.Where(request => request.Header("X-Query-Tags") == "operation=tenant_insert").ToList();
        Assert.Equal(2, inserts.Count);
        Assert.All(inserts, insert => Assert.Equal("fauna acme corp", JsonNode.Parse(insert.ValuesJson[0])!["nameKey"]!.GetValue<string>()));
        Assert.Single(node.Received, request => request.Header("X-Query-Tags") == "operation=database_create");
    }

    [Fact]
    public async Task AnOrderTheStockCannotCoverAnswers409WithWhatIsLeftAndWritesNothing()
    {
        using var node = new ScriptedNode();
        using var app = FaunaApp(node);
        var tenant = await app.OnboardAsync("Fauna Shop " + Guid.NewGuid().ToString("N")[..8]);
        using var client = app.Client(tenant.AdminTokens.IdToken);

        var response = await client.PostAsJsonAsync("/order", new { orderName = "Too many", orderProducts = new[] { new { productId = "101", quantity = 5 } } });

        var problem = await response.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("101", problem.GetProperty("productId").GetString());
        Assert.Equal(2, problem.GetProperty("available").GetInt32());
        var read = Assert.Single(node.Received, request => request.Header("X-Query-Tags") == "operation=order_create_read");
        Assert.Equal($"Bearer {FaunaTestClient.Secret}:tenant_{tenant.TenantId}:server", read.Header("Authorization"));
        Assert.DoesNotContain(node.Received, request => request.Header("X-Query-Tags") == "operation=order_create");
    }

    [Fact]
    public async Task ATenantWriteSendsOnlyItsFieldsWithTheVersionReadAndAnswersTheTagAReadAnswers()
    {
        using var node = new ScriptedNode();
        using var app = FaunaApp(node);
        var tenant = await app.OnboardAsync("Fauna Tagged " + Guid.NewGuid().ToString("N")[..8]);
        using var client = app.Client(tenant.AdminTokens.IdToken);
        var path = $"/tenant/{tenant.TenantId}";
        using var read = await client.GetAsync(path);
        await read.ShouldBe(HttpStatusCode.OK);
        var etag = read.Headers.ETag!.ToString();

        using var update = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { tenantPhone = "+1 555 7000" }) };
        update.Headers.TryAddWithoutValidation("If-Match", etag);
        using var written = await client.SendAsync(update);
        await written.ShouldBe(HttpStatusCode.OK);
        using var reread = await client.GetAsync(path);
        using var stale = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { tenantPhone = "+1 555 7001" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        using var refused = await client.SendAsync(stale);

        await refused.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal(reread.Headers.ETag!.ToString(), written.Headers.ETag!.ToString());
        Assert.NotEqual(etag, written.Headers.ETag!.ToString());
        var query = Assert.Single(node.Received, request => request.Header("X-Query-Tags") == "operation=tenant_update");
        Assert.Equal(["tenantPhone", "updatedAt"], JsonNode.Parse(query.ValuesJson[3])!.AsObject().Select(field => field.Key));
        Assert.NotEqual("null", query.ValuesJson[1]);
    }

    /// <summary>
    /// With tracing on and the node reached over the network, as in production, a tenant's request on the Fauna
    /// store is a span tree down to the HTTP calls the store makes to the node: client spans under the store call's
    /// span, with the tenant and its tier, and the key (sent as the bearer token) in no attribute of any span.
    /// </summary>
    [Fact]
    public async Task ATenantsRequestCarriesItsTenantDownToTheHttpCallsToTheNodeAndNoSpanNamesTheKey()
    {
        using var node = new ScriptedNode();
        await using var endpoint = await FaunaEndpoint.StartAsync(node);
        using var app = new AppFactory(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Fauna",
            ["Storage:Fauna:Endpoint"] = endpoint.Url.ToString(),
            ["Storage:Fauna:Secret"] = FaunaTestClient.Secret,
        });
        var telemetry = app.EnableTelemetry();
        var tenant = await app.OnboardAsync("Fauna Traced " + Guid.NewGuid().ToString("N")[..8], tier: "Premium");
        using var client = app.Client(tenant.AdminTokens.IdToken);

        await (await client.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        var request = await telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/products" && (string?)span.GetTagItem("tenant.id") == tenant.TenantId);
        var under = telemetry.Descendants(request);
        var store = Assert.Single(under, span => span.OperationName == "fauna products.list");
        Assert.Equal(tenant.TenantId, store.GetTagItem("tenant.id"));
        var calls = under.Where(span => span.ParentSpanId == store.SpanId).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal("POST", span.GetTagItem("http.request.method"));
            Assert.Equal(endpoint.Url.Port, Convert.ToInt32(span.GetTagItem("server.port"), CultureInfo.InvariantCulture));
            Assert.Equal(tenant.TenantId, span.GetTagItem("tenant.id"));
            Assert.Equal("Premium", span.GetTagItem("tenant.tier"));
        });
        Assert.Contains(node.Received, received => received.Header("X-Query-Tags") == "operation=product_list"
            && received.Header("Authorization") == $"Bearer {FaunaTestClient.Secret}:tenant_{tenant.TenantId}:server");
        Assert.DoesNotContain(
            telemetry.Spans.SelectMany(span => span.TagObjects).Select(tag => $"{tag.Key}={tag.Value}"),
            tag => tag.Contains(FaunaTestClient.Secret, StringComparison.Ordinal));
    }

    private static AppFactory FaunaApp(ScriptedNode node) => new(
        null,
        new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Fauna",
            ["Storage:Fauna:Secret"] = FaunaTestClient.Secret,
        },
        services => services.AddKeyedSingleton<HttpMessageHandler>(FaunaClient.HttpHandlerKey, node));

    /// <summary>
    /// Answers each operation (by its query tag) the way a node would for this script: tenants kept in memory with a
    /// unique normalized name, every product short of stock (2 left), everything else accepted.
    /// </summary>
    private sealed class ScriptedNode : HttpMessageHandler
    {
        private readonly ConcurrentQueue<FaunaRequest> _received = new();
        private readonly ConcurrentDictionary<string, JsonObject> _tenants = new();
        private readonly ConcurrentDictionary<string, JsonObject> _users = new();

        public IReadOnlyList<FaunaRequest> Received => _received.ToList();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var received = new FaunaRequest(request, await request.Content!.ReadAsStringAsync(cancellationToken));
            _received.Enqueue(received);
            lock (_tenants)
            {
                return (received.Header("X-Query-Tags") ?? string.Empty)["operation=".Length..] switch
                {
                    "ping" or "database_exists" => FaunaFake.Ok("true"),
                    "audit_prune" or "access_revision_get" => FaunaFake.Ok("""{"@int":"0"}"""),
                    "permits_take" => FaunaFake.Ok("""{"@int":"1000"}"""),
                    "schema_version" => FaunaFake.Ok("""{"recorded":null,"exists":false}"""),
                    "journal_list" or "product_list" or "tenant_list" => FaunaFake.Ok("""{"@set":{"data":[]}}"""),
                    "tenant_insert" => InsertTenant(JsonNode.Parse(received.ValuesJson[0])!.AsObject()),
                    "tenant_get" => FaunaFake.Ok(_tenants.TryGetValue(Text(received, 0), out var tenant) ? Document("tenant", tenant) : "null"),
                    "tenant_set_status" or "tenant_update" => WriteTenant(Text(received, 0), JsonNode.Parse(received.ValuesJson[1]), JsonNode.Parse(received.ValuesJson[3])!.AsObject()),
                    "tenant_user_upsert" => Upsert(JsonNode.Parse(received.ValuesJson[1])!.AsObject()),
                    "tenant_user_get" => FaunaFake.Ok(_users.TryGetValue(Text(received, 0), out var user) ? Document("tenantUser", user) : "null"),
                    "order_create_read" => FaunaFake.Ok("""
                        [{"@doc":{"id":"101","coll":{"@mod":"product"},"ts":{"@time":"2026-11-27T10:00:00Z"},"name":"Pen","sku":"PEN-1",
                          "priceCents":{"@long":"100"},"quantity":{"@int":"2"},"backorderedLimit":{"@int":"0"},
                          "createdAt":{"@time":"2026-11-27T10:00:00Z"},"updatedAt":{"@time":"2026-11-27T10:00:00Z"}}}]
                        """),
                    _ => FaunaFake.Ok("null"),
                };
            }
        }

        private static string Text(FaunaRequest request, int index) => (string)request.Value(index)!;

        private static string Document(string collection, JsonObject fields)
        {
            var document = (JsonObject)fields.DeepClone();
            document["id"] = "1";
            document["coll"] = new JsonObject { ["@mod"] = collection };
            return new JsonObject { ["@doc"] = document }.ToJsonString();
        }

        private HttpResponseMessage InsertTenant(JsonObject tenant)
        {
            var nameKey = tenant["nameKey"]!.GetValue<string>();
            if (_tenants.Values.Any(existing => existing["nameKey"]!.GetValue<string>() == nameKey))
            {
                return FaunaFake.ConstraintFailure("nameKey");
            }

            _tenants[tenant["tenantId"]!.GetValue<string>()] = tenant;
            return FaunaFake.Ok("null");
        }

        /// <summary>The tenant write's query: the version compared, then the given fields merged in, the document answered.</summary>
        private HttpResponseMessage WriteTenant(string tenantId, JsonNode? expectedUpdatedAt, JsonObject fields)
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant))
            {
                return FaunaFake.Ok("\"notFound\"");
            }

            if (expectedUpdatedAt is not null && !JsonNode.DeepEquals(expectedUpdatedAt, tenant["updatedAt"]))
            {
                return FaunaFake.Ok("\"versionMismatch\"");
            }

            foreach (var (name, value) in fields)
            {
                tenant[name] = value?.DeepClone();
            }

            return FaunaFake.Ok(Document("tenant", tenant));
        }

        private HttpResponseMessage Upsert(JsonObject mapping)
        {
            _users[mapping["userName"]!.GetValue<string>()] = mapping;
            return FaunaFake.Ok("null");
        }
    }
}
