using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Contract.Tests.Infrastructure;

namespace SaasOnboarding.Contract.Tests;

/// <summary>
/// The built app started as <c>dotnet /path/SaasOnboarding.Api.dll</c> from a folder that is not its own, on a
/// loopback port, with no issuer configured.
/// </summary>
[Collection(SharedListeningApp.Name)]
public sealed class ListeningAppTests(ListeningApp app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/signup.html")]
    [InlineData("/admin.html")]
    public async Task StartedFromAnotherFolderItServesItsPages(string page)
    {
        using var client = app.Client();
        using var response = await client.GetAsync(page);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} answers {(int)response.StatusCode}.\n{app.Output}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WithNoIssuerConfiguredAnOIDCClientFindsTheKeysThatVerifyItsTokensAtTheAddressTheAppListensOn()
    {
        var issuer = $"{app.BaseAddress.ToString().TrimEnd('/')}/local-idp/local_operations";
        using var client = app.Client();
        var signIn = await client.PostAsJsonAsync("/auth/signin", new { userName = "admin", password = AppFactory.AdminPassword, pool = "operations" });
        signIn.EnsureSuccessStatusCode();
        var idToken = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("idToken").GetString()!;

        // As an OIDC client does: discovery at the issuer, then the keys at its jwks_uri.
        var discovery = new ConfigurationManager<OpenIdConnectConfiguration>(
            issuer + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(client) { RequireHttps = false });
        var configuration = await discovery.GetConfigurationAsync(CancellationToken.None);
        Assert.Equal(issuer, configuration.Issuer);
        Assert.NotEmpty(configuration.ResponseTypesSupported);
        Assert.NotEmpty(configuration.SubjectTypesSupported);
        Assert.Contains("RS256", configuration.IdTokenSigningAlgValuesSupported);

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateAudience = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);

        // And the app accepts the token it issued under that name.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tenants");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }
}

/// <summary>The app served under a base path, as API Gateway's stage puts it.</summary>
public sealed class StagedApp() : ListeningApp(new Dictionary<string, string> { ["Hosting:PathBase"] = "/Prod" });

/// <summary>Every Location the app answers is built from its route's name, so each one carries the base path.</summary>
public sealed class LocationTests(StagedApp fixture) : IClassFixture<StagedApp>
{
    [Fact]
    public async Task EveryCreatedResourceIsAnsweredWithALocationUnderTheBasePathThatReadsIt()
    {
        using var client = fixture.Client();
        async Task<(string Location, JsonElement Body)> Create(string path, object body, string? token = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/Prod" + path) { Content = JsonContent.Create(body) };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (response.Headers.Location!.OriginalString, await response.Content.ReadFromJsonAsync<JsonElement>());
        }

        var registered = await Create("/registration", new { tenantName = "Staged " + Guid.NewGuid().ToString("N")[..8], tenantEmail = "owner@staged.test", tenantTier = "Basic" });
        var tenantId = registered.Body.GetProperty("tenantId").GetString()!;
        Assert.Equal($"/Prod/tenant/{tenantId}", registered.Location);

        var adminName = registered.Body.GetProperty("tenantAdminUserName").GetString()!;
        var mailbox = await client.GetFromJsonAsync<JsonElement>("/Prod/dev/mailbox");
        var temporary = mailbox.EnumerateArray().First(message => message.GetProperty("userName").GetString() == adminName).GetProperty("temporaryPassword").GetString();
        var challenge = await (await client.PostAsJsonAsync("/Prod/auth/signin", new { userName = adminName, password = temporary })).Content.ReadFromJsonAsync<JsonElement>();
        var tokens = await (await client.PostAsJsonAsync("/Prod/auth/new-password", new { userName = adminName, session = challenge.GetProperty("session").GetString(), newPassword = "Choose-A-Passw0rd!" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var token = tokens.GetProperty("idToken").GetString()!;

        var user = await Create("/user", new { userName = "staged.user", userEmail = "user@staged.test", userRole = "TenantUser" }, token);
        Assert.Equal("/Prod/user/staged.user", user.Location);
        var product = await Create("/product", new { name = "Widget", sku = "WID", price = 2.5m, quantity = 3 }, token);
        Assert.Equal($"/Prod/product/{product.Body.GetProperty("id").GetString()}", product.Location);
        var order = await Create("/order", new { orderName = "First", orderProducts = new[] { new { productId = product.Body.GetProperty("id").GetString(), quantity = 1 } } }, token);
        Assert.Equal($"/Prod/order/{order.Body.GetProperty("id").GetString()}", order.Location);

        foreach (var location in new[] { registered.Location, user.Location, product.Location, order.Location })
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, location);
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await client.SendAsync(read);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"GET {location} answered {(int)answer.StatusCode}");
        }
    }
}
