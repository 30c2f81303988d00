using System.Net.Http.Headers;
using System.Text;
using SaasOnboarding.Contract.Tests.Infrastructure;

namespace SaasOnboarding.Contract.Tests;

/// <summary>The app on a loopback port with five registrations a minute, so that the flow can reach the limit.</summary>
public sealed class RateLimitedApp() : ListeningApp(new Dictionary<string, string> { ["RateLimits:RegistrationPermits"] = "5" });

/// <summary>
/// A whole journey, every error status the app answers to a well-formed request included, through Prism in validating
/// proxy mode: each request and each answer must be one the served document allows.
/// </summary>
public sealed class PrismFlowTests(RateLimitedApp fixture) : IClassFixture<RateLimitedApp>, IAsyncLifetime, IDisposable
{
    private const string NewPassword = "Choose-A-Passw0rd!";

    private PrismProxy? _prism;
    private HttpClient? _client;
    private int _checked;

    private HttpClient Client => _client!;

    public async Task InitializeAsync()
    {
        var document = Path.Combine(fixture.WorkingDirectory, "served-openapi.json");
        using (var app = fixture.Client())
        {
            await File.WriteAllTextAsync(document, await app.GetStringAsync("/openapi/v1.json"));
        }

        _prism = await PrismProxy.StartAsync(document, fixture.BaseAddress);
        _client = new HttpClient { BaseAddress = _prism.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _client?.Dispose();
        _prism?.Dispose();
    }

    [Fact]
    public async Task AWholeJourneyAndEveryErrorStatusPassTheValidatingProxyWithoutAViolation()
    {
        await Expect(Get("/health"), HttpStatusCode.OK);
        await Expect(Get("/health/ready"), HttpStatusCode.OK);
        await Expect(Get("/local-idp/local_tenant/.well-known/openid-configuration"), HttpStatusCode.OK);
        await Expect(Get("/local-idp/local_tenant/.well-known/jwks.json"), HttpStatusCode.OK);
        await Expect(Get("/local-idp/nobody/.well-known/jwks.json"), HttpStatusCode.NotFound);

        // Registration: created, a taken name, a field the app refuses.
        var name = "Contract " + Guid.NewGuid().ToString("N")[..8];
        var registered = await Expect(Post("/registration", new { tenantName = name, tenantEmail = "owner@contract.test", tenantTier = "Standard" }), HttpStatusCode.Created);
        var tenantId = registered.Body.GetProperty("tenantId").GetString()!;
        Assert.Equal($"/tenant/{tenantId}", registered.Response.Headers.Location?.OriginalString);
        await Expect(Post("/registration", new { tenantName = name, tenantEmail = "owner@contract.test", tenantTier = "Basic" }), HttpStatusCode.Conflict);
        await Expect(Post("/registration", new { tenantName = "Contract bad email", tenantEmail = "not-an-email", tenantTier = "Basic" }), HttpStatusCode.BadRequest);
        await Expect(Post("/registration", new { tenantName = name + " two", tenantEmail = "two@contract.test", tenantTier = "Premium", tenantPhone = "+1 555 0101", tenantAddress = "2 Contract Road" }), HttpStatusCode.Created);

        // The mailbox, the first sign-in's challenge, a wrong password, the new password, refresh.
        var adminName = registered.Body.GetProperty("tenantAdminUserName").GetString()!;
        var mailbox = await Expect(Get("/dev/mailbox"), HttpStatusCode.OK);
        var temporary = mailbox.Body.EnumerateArray().First(message => message.GetProperty("userName").GetString() == adminName).GetProperty("temporaryPassword").GetString()!;
        var challenge = await Expect(Post("/auth/signin", new { userName = adminName, password = temporary }), HttpStatusCode.OK);
        Assert.Equal("NEW_PASSWORD_REQUIRED", challenge.Body.GetProperty("challengeName").GetString());
        await Expect(Post("/auth/signin", new { userName = adminName, password = "Wrong-Passw0rd!" }), HttpStatusCode.Unauthorized);
        var tokens = await Expect(
            Post("/auth/new-password", new { userName = adminName, session = challenge.Body.GetProperty("session").GetString(), newPassword = NewPassword, pool = "tenant" }),
            HttpStatusCode.OK);
        var refreshed = await Expect(Post("/auth/refresh", new { refreshToken = tokens.Body.GetProperty("refreshToken").GetString() }), HttpStatusCode.OK);
        var admin = refreshed.Body.GetProperty("idToken").GetString()!;
        var system = (await Expect(Post("/auth/signin", new { userName = "admin", password = AppFactory.AdminPassword, pool = "operations" }), HttpStatusCode.OK))
            .Body.GetProperty("idToken").GetString()!;

        // Tenants: read, conditional update, a stale tag, a foreign tenant, a forbidden list, a bad token, paging to the end.
        var tenant = await Expect(Get($"/tenant/{tenantId}", admin), HttpStatusCode.OK);
        var tag = tenant.Response.Headers.ETag!.ToString();
        await Expect(Put($"/tenant/{tenantId}", new { tenantAddress = "1 Contract Road" }, admin, tag), HttpStatusCode.OK);
        await Expect(Put($"/tenant/{tenantId}", new { tenantPhone = "+1 555 0100" }, admin, tag), HttpStatusCode.PreconditionFailed);
        await Expect(Get("/tenant/00000000000000000000000000000000", admin), HttpStatusCode.NotFound);
        await Expect(Get("/tenants", admin), HttpStatusCode.Forbidden);
        await Expect(Get($"/tenant/{tenantId}", "not-a-token"), HttpStatusCode.Unauthorized);
        await PageToTheEnd("/tenants", system);
        await Expect(Get("/tenants?nextToken=not-issued-here", system), HttpStatusCode.BadRequest);

        // Users: create, a taken name, read, update, paging, disable.
        await Expect(Post("/user", new { userName = "clerk-" + tenantId[..8], userEmail = "clerk@contract.test", userRole = "TenantUser" }, admin), HttpStatusCode.Created);
        await Expect(Post("/user", new { userName = "clerk-" + tenantId[..8], userEmail = "clerk@contract.test", userRole = "TenantUser" }, admin), HttpStatusCode.Conflict);
        await Expect(Post("/user", new { userName = "second-" + tenantId[..8], userEmail = "second@contract.test", userRole = "TenantAdmin" }, system, tenantId: tenantId), HttpStatusCode.Created);
        var clerk = await Expect(Get($"/user/clerk-{tenantId[..8]}", admin), HttpStatusCode.OK);
        await Expect(Put($"/user/clerk-{tenantId[..8]}", new { userEmail = "clerk2@contract.test" }, admin, clerk.Response.Headers.ETag!.ToString()), HttpStatusCode.OK);
        await Expect(Get("/user/nobody-here", admin), HttpStatusCode.NotFound);
        await PageToTheEnd("/users", admin);
        await PageToTheEnd($"/users?tenantId={tenantId}", system);
        await Expect(Delete($"/user/second-{tenantId[..8]}", admin), HttpStatusCode.OK);

        // Products: create, a taken SKU, read, update, paging, a missing one, a stale tag, delete.
        var products = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await Expect(Post("/product", new { name = $"Widget {i}", sku = $"WID-{i}", price = 19.99m, quantity = 5, description = "A widget." }, admin), HttpStatusCode.Created);
            products.Add(created.Body.GetProperty("id").GetString()!);
            Assert.Equal($"/product/{products[^1]}", created.Response.Headers.Location?.OriginalString);
        }

        await Expect(Post("/product", new { name = "Copy", sku = "wid-0", price = 1m, quantity = 1 }, admin), HttpStatusCode.Conflict);
        var product = await Expect(Get($"/product/{products[0]}", admin), HttpStatusCode.OK);
        await Expect(Put($"/product/{products[0]}", new { name = "Widget 0", sku = "WID-0", price = 21.50m, quantity = 5, backorderedLimit = 1 }, admin, product.Response.Headers.ETag!.ToString()), HttpStatusCode.OK);
        await Expect(Delete($"/product/{products[2]}", admin, product.Response.Headers.ETag!.ToString()), HttpStatusCode.PreconditionFailed);
        await Expect(Delete($"/product/{products[2]}", admin), HttpStatusCode.NoContent);
        await Expect(Get("/product/no-such-product", admin), HttpStatusCode.NotFound);
        await PageToTheEnd("/products", admin);

        // Orders: place, short stock, a missing product, read, move forward, a refused move, paging, delete.
        var order = await Expect(Post("/order", new { orderName = "First", orderProducts = new[] { new { productId = products[0], quantity = 2 } } }, admin), HttpStatusCode.Created);
        var orderId = order.Body.GetProperty("id").GetString()!;
        Assert.Equal($"/order/{orderId}", order.Response.Headers.Location?.OriginalString);
        await Expect(Post("/order", new { orderName = "Too many", orderProducts = new[] { new { productId = products[1], quantity = 50 } } }, admin), HttpStatusCode.Conflict);
        await Expect(Post("/order", new { orderName = "Nothing", orderProducts = new[] { new { productId = "no-such-product", quantity = 1 } } }, admin), HttpStatusCode.NotFound);
        await Expect(Post("/order", new { orderName = "Second", orderProducts = new[] { new { productId = products[1], quantity = 1 } } }, admin), HttpStatusCode.Created);
        var read = await Expect(Get($"/order/{orderId}", admin), HttpStatusCode.OK);
        await Expect(Put($"/order/{orderId}", new { orderStatus = "shipped" }, admin, read.Response.Headers.ETag!.ToString()), HttpStatusCode.OK);
        await Expect(Put($"/order/{orderId}", new { orderStatus = "processing" }, admin), HttpStatusCode.Conflict);
        await Expect(Put($"/order/{orderId}", new { orderName = "Stale" }, admin, read.Response.Headers.ETag!.ToString()), HttpStatusCode.PreconditionFailed);
        await PageToTheEnd("/orders", admin);
        await Expect(Delete($"/order/{orderId}", admin), HttpStatusCode.NoContent);
        await Expect(Get($"/order/{orderId}", admin), HttpStatusCode.NotFound);

        // A body over 64 KiB.
        await Expect(Post("/product", new { name = "Big", sku = "BIG", price = 1m, quantity = 1, description = new string('x', 70_000) }, admin), HttpStatusCode.RequestEntityTooLarge);

        // Provider staff: every user of the tenant off and on, deactivation (the tenant's tokens then get 403), reactivation.
        await Expect(Put($"/users/disable/{tenantId}", null, system), HttpStatusCode.OK);
        await Expect(Put($"/users/enable/{tenantId}", null, system), HttpStatusCode.OK);
        await Expect(Delete($"/tenant/{tenantId}", system), HttpStatusCode.OK);
        await Expect(Get("/products", admin), HttpStatusCode.Forbidden);
        await Expect(Put($"/tenant/activation/{tenantId}", null, system), HttpStatusCode.OK);

        // Registrations beyond the limit of five a minute.
        HttpStatusCode status;
        var attempts = 0;
        do
        {
            var answer = await Send(Post("/registration", new { tenantName = "Contract limit " + Guid.NewGuid().ToString("N")[..8], tenantEmail = "limit@contract.test", tenantTier = "Basic" }));
            status = answer.Response.StatusCode;
            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, $"Registration answered {status}.");
        }
        while (status != HttpStatusCode.TooManyRequests && ++attempts < 10);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.True(_checked > 60, $"Only {_checked} requests went through Prism.");
    }

    private static HttpRequestMessage Get(string path, string? token = null) => Request(HttpMethod.Get, path, null, token, null);

    private static HttpRequestMessage Post(string path, object? body, string? token = null, string? tenantId = null)
    {
        if (tenantId is not null)
        {
            body = JsonSerializer.SerializeToNode(body)!.AsObject().Also(node => node["tenantId"] = tenantId);
        }

        return Request(HttpMethod.Post, path, body, token, null);
    }

    private static HttpRequestMessage Put(string path, object? body, string? token = null, string? ifMatch = null) => Request(HttpMethod.Put, path, body, token, ifMatch);

    private static HttpRequestMessage Delete(string path, string? token = null, string? ifMatch = null) => Request(HttpMethod.Delete, path, null, token, ifMatch);

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body, string? token, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> Expect(HttpRequestMessage request, HttpStatusCode expected)
    {
        var answer = await Send(request);
        var text = answer.Body.ValueKind == JsonValueKind.Undefined ? string.Empty : answer.Body.ToString();
        Assert.True(
            answer.Response.StatusCode == expected,
            $"{request.Method} {request.RequestUri} answered {(int)answer.Response.StatusCode}, not {(int)expected}: {text}");
        if ((int)expected >= 400)
        {
            // The app's problem details, not an error Prism made up itself.
            Assert.True(answer.Body.TryGetProperty("traceId", out _), $"{request.Method} {request.RequestUri} answered a problem without a traceId: {text}");
        }

        return answer;
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpRequestMessage request)
    {
        using (request)
        {
            var method = request.Method;
            var uri = request.RequestUri;
            var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.False(
                response.Headers.TryGetValues("sl-violations", out var violations),
                $"{method} {uri} ({(int)response.StatusCode}) breaks the document: {string.Join(' ', violations ?? [])}\n{text}");
            _checked++;
            return (response, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
        }
    }

    /// <summary>Pages of one item each, following nextToken until it is null.</summary>
    private async Task PageToTheEnd(string path, string token)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        string? nextToken = null;
        var pages = 0;
        do
        {
            var page = await Expect(
                Get($"{path}{separator}limit=1" + (nextToken is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(nextToken)), token),
                HttpStatusCode.OK);
            nextToken = page.Body.GetProperty("nextToken").GetString();
            Assert.True(++pages < 200, $"{path} did not reach its end.");
        }
        while (nextToken is not null);
        Assert.True(pages > 1, $"{path} answered a single page: the paging was not exercised.");
    }
}

internal static class NodeExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
