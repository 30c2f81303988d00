using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Deploy.Tests;

/// <summary>
/// Behind API Gateway the app lives at <c>https://{api}.execute-api.{region}.amazonaws.com/Prod/</c>: every page,
/// document, link and redirect must work and point there.
/// </summary>
public sealed partial class BasePathTests(StagedApp app) : IClassFixture<StagedApp>
{
    private const string Stage = ProxiedApp.Stage;

    [Theory]
    [InlineData("/swagger")]
    [InlineData("/swagger/")]
    public async Task SwaggerUiUnderTheStageRedirectsAndLoadsItsDocumentUnderTheStage(string swaggerPath)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // /Prod/swagger (and the SwaggerUiUrl output's /Prod/swagger/) redirect to the index page, under the stage.
        var entry = new Uri(client.BaseAddress!, Stage + swaggerPath);
        using var redirect = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, entry.PathAndQuery));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        var index = new Uri(entry, redirect.Headers.Location!);
        Assert.Equal(Stage + "/swagger/index.html", index.AbsolutePath);

        using var page = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, index.PathAndQuery));
        await page.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        // The page's document URL, resolved as the browser would against the page, lands on the document.
        var documentUrl = await SwaggerDocumentUrlAsync(client, index);
        var document = new Uri(index, documentUrl);
        Assert.Equal(Stage + "/openapi/v1.json", document.AbsolutePath);
        using var answer = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, document.PathAndQuery));
        await answer.ShouldBe(HttpStatusCode.OK);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paths").TryGetProperty("/registration", out _));
    }

    [Fact]
    public async Task OpenApiServersNameThePublicHttpsAddressWithTheStage()
    {
        using var client = app.CreateClient();
        using var response = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, Stage + "/openapi/v1.json"));
        await response.ShouldBe(HttpStatusCode.OK);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();

        var server = Assert.Single(document.GetProperty("servers").EnumerateArray());
        Assert.Equal($"https://{ProxiedApp.PublicHost}{Stage}", server.GetProperty("url").GetString());

        // Paths stay relative to that server: the stage is not repeated in them.
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), path => path.Name.StartsWith(Stage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegistrationUnderTheStageAnswersALocationUnderTheStageThatLeadsToTheTenant()
    {
        using var client = app.CreateClient();
        var name = "Staged " + Guid.NewGuid().ToString("N")[..8];
        using var registration = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, Stage + "/registration", json: new { tenantName = name, tenantEmail = "owner@example.com", tenantTier = "Basic" }));
        await registration.ShouldBe(HttpStatusCode.Created);
        var registered = (await registration.Content.ReadFromJsonAsync<Registered>())!;
        Assert.Equal($"{Stage}/tenant/{registered.TenantId}", registration.Headers.Location!.OriginalString);

        // The tenant admin signs in through the stage, and the Location answers with the tenant.
        var temporaryPassword = await app.TemporaryPasswordAsync(registered.TenantAdminUserName);
        using var challenge = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, Stage + "/auth/signin", json: new { userName = registered.TenantAdminUserName, password = temporaryPassword }));
        await challenge.ShouldBe(HttpStatusCode.OK);
        var session = (await challenge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetString();
        using var answered = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, Stage + "/auth/new-password", json: new { userName = registered.TenantAdminUserName, session, newPassword = ApiClient.NewPassword }));
        await answered.ShouldBe(HttpStatusCode.OK);
        var tokens = (await answered.Content.ReadFromJsonAsync<Tokens>())!;

        using var read = ProxiedApp.FromGateway(HttpMethod.Get, registration.Headers.Location.OriginalString);
        read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.IdToken);
        using var tenant = await client.SendAsync(read);
        await tenant.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(name, (await tenant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantName").GetString());
    }

    [Fact]
    public async Task RequestWithoutTheStageStillAnswersWithLinksThatCarryIt()
    {
        // The adapter's readiness check calls the app directly, and AWS_LWA_REMOVE_BASE_PATH would strip the stage:
        // both reach the app without it, and links must still be public ones.
        using var client = app.CreateClient();
        using var health = await client.GetAsync("/health");
        await health.ShouldBe(HttpStatusCode.OK);

        using var registration = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, "/registration", json: new { tenantName = "Unstaged " + Guid.NewGuid().ToString("N")[..8], tenantEmail = "owner@example.com", tenantTier = "Basic" }));
        await registration.ShouldBe(HttpStatusCode.Created);
        Assert.StartsWith(Stage + "/tenant/", registration.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredStageWinsOverAForwardedPrefixAClientCouldSend()
    {
        using var client = app.CreateClient();
        using var request = ProxiedApp.FromGateway(HttpMethod.Get, Stage + "/openapi/v1.json");
        request.Headers.Add("X-Forwarded-Prefix", "/elsewhere");
        using var response = await client.SendAsync(request);
        await response.ShouldBe(HttpStatusCode.OK);

        var server = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("servers").EnumerateArray());
        Assert.Equal($"https://{ProxiedApp.PublicHost}{Stage}", server.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("Prod")]
    [InlineData("/Prod/")]
    [InlineData("/Prod stage")]
    public void MalformedPathBaseStopsTheAppNamingTheSetting(string pathBase)
    {
        var failure = StartupFailures.MessageOf(() => new ProxiedApp(pathBase, IPAddress.Loopback));
        Assert.Contains("Hosting:PathBase", failure, StringComparison.Ordinal);
    }

    /// <summary>Swashbuckle writes its configuration (with the document URL) into the page or its initializer script.</summary>
    private static async Task<string> SwaggerDocumentUrlAsync(HttpClient client, Uri index)
    {
        foreach (var asset in new[] { index, new Uri(index, "index.js"), new Uri(index, "swagger-initializer.js") })
        {
            using var response = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, asset.PathAndQuery));
            if (response.StatusCode == HttpStatusCode.OK && DocumentUrl().Match(await response.Content.ReadAsStringAsync()) is { Success: true } match)
            {
                return Regex.Unescape(match.Groups[1].Value);
            }
        }

        Assert.Fail("Swagger UI names no OpenAPI document URL");
        return string.Empty;
    }

    [GeneratedRegex(@"""url""\s*:\s*""([^""]*openapi[^""]*)""")]
    private static partial Regex DocumentUrl();
}

/// <summary>Scheme and client address from the proxy's X-Forwarded-* headers, believed from the proxy only.</summary>
public sealed class ForwardedHeadersTests(UnstagedApp app) : IClassFixture<UnstagedApp>
{
    private static readonly Dictionary<string, string?> OneRegistrationPerClient = new() { ["RateLimits:RegistrationPermits"] = "1" };

    [Fact]
    public async Task ForwardedPrefixFromTheProxyBecomesTheBasePathWhenNoneIsConfigured()
    {
        using var client = app.CreateClient();
        using var request = ProxiedApp.FromGateway(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Add("X-Forwarded-Prefix", "/Stage");
        using var response = await client.SendAsync(request);
        await response.ShouldBe(HttpStatusCode.OK);

        var server = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("servers").EnumerateArray());
        Assert.Equal($"https://{ProxiedApp.PublicHost}/Stage", server.GetProperty("url").GetString());
    }

    [Fact]
    public async Task RateLimitsCountTheCallerTheProxyNamedNotTheProxyNorWhatTheCallerWrote()
    {
        using var proxied = new ProxiedApp(ProxiedApp.Stage, IPAddress.Loopback, OneRegistrationPerClient);
        using var client = proxied.CreateClient();

        // Two callers behind the same proxy each get their own allowance.
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.10"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.11"));

        // A caller cannot buy a fresh allowance by writing an address of its own in front of the one the
        // gateway appends: only the last hop counts.
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(client, "198.51.100.99, 203.0.113.10"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(client, "203.0.113.11"));
    }

    [Fact]
    public async Task IPv6CallersAreCountedPerSlash64()
    {
        using var proxied = new ProxiedApp(ProxiedApp.Stage, IPAddress.Loopback, OneRegistrationPerClient);
        using var client = proxied.CreateClient();

        // Every address of one /64 is one caller: walking through them buys no fresh allowance.
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(client, "2001:db8:1:2::2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(client, "2001:db8:1:2:ffff:ffff:ffff:ffff"));

        // The next /64 is another caller.
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "2001:db8:1:3::1"));
    }

    [Fact]
    public async Task ForwardedHeadersFromAnAddressThatIsNoKnownProxyAreIgnored()
    {
        using var direct = new ProxiedApp(ProxiedApp.Stage, IPAddress.Parse("198.51.100.7"), OneRegistrationPerClient);
        using var client = direct.CreateClient();

        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.20"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RegisterAsync(client, "203.0.113.21"));

        using var response = await client.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, ProxiedApp.Stage + "/openapi/v1.json"));
        var server = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("servers").EnumerateArray());
        Assert.StartsWith("http://", server.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredKnownProxyIsBelieved()
    {
        var settings = new Dictionary<string, string?>(OneRegistrationPerClient) { ["Hosting:KnownProxies:0"] = "198.51.100.7" };
        using var behindKnownProxy = new ProxiedApp(ProxiedApp.Stage, IPAddress.Parse("198.51.100.7"), settings);
        using var client = behindKnownProxy.CreateClient();

        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.30"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.31"));
    }

    [Fact]
    public async Task TrustAnyProxyBelievesForwardedHeadersFromAnyAddress()
    {
        var settings = new Dictionary<string, string?>(OneRegistrationPerClient) { ["Hosting:TrustAnyProxy"] = "true" };
        using var behindAnyProxy = new ProxiedApp(ProxiedApp.Stage, IPAddress.Parse("198.51.100.8"), settings);
        using var client = behindAnyProxy.CreateClient();

        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.40"));
        Assert.Equal(HttpStatusCode.Created, await RegisterAsync(client, "203.0.113.41"));
    }

    private static async Task<HttpStatusCode> RegisterAsync(HttpClient client, string callerAddress)
    {
        using var response = await client.SendAsync(ProxiedApp.FromGateway(
            HttpMethod.Post,
            ProxiedApp.Stage + "/registration",
            callerAddress,
            new { tenantName = "Limited " + Guid.NewGuid().ToString("N")[..8], tenantEmail = "owner@example.com", tenantTier = "Basic" }));
        return response.StatusCode;
    }
}
