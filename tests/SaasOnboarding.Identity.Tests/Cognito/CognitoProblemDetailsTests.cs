using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Cognito;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>
/// Cognito's refusals as the API's callers see them: problem details with the right status, through the real
/// pipeline, with Cognito played by <see cref="FakeCognito"/> and tokens by <see cref="FakeTokenIssuer"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it once, through IAsyncLifetime.DisposeAsync.")]
public sealed class CognitoProblemDetailsTests : IAsyncLifetime
{
    private FakeTokenIssuer _issuer = null!;
    private FakeCognito _cognito = null!;
    private AppFactory _app = null!;
    private Func<CapturedRequest, (HttpStatusCode, string)> _answer = _ => FakeCognito.Ok();

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync();
        // Every request reads its caller from the directory first: the system admin is always there.
        _cognito = new FakeCognito((request, _) => request.Operation == "AdminGetUser" ? FakeCognito.Ok(SystemAdminUser) : _answer(request));
        _app = new AppFactory(null, _issuer.Settings(), services =>
        {
            CognitoLocalFixture.UseTestCredentials(services);
            services.AddHttpClient(CognitoClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _cognito);
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _issuer.DisposeAsync();
        _cognito?.Dispose();
    }

    [Fact]
    public async Task AThrottledListIsRetriedThenAnswers503WithRetryAfter()
    {
        _answer = _ => FakeCognito.Error(HttpStatusCode.BadRequest, "TooManyRequestsException", "Rate exceeded");

        var response = await SystemAdmin().GetAsync("/users");

        await response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter is not null);
        Assert.Equal(4, _cognito.Requests.Count(r => r.Operation == "ListUsers"));
    }

    [Fact]
    public async Task AnExistingUserNameAnswers409()
    {
        var tenantId = await ActiveTenantAsync();
        _answer = request => request.Operation == "AdminCreateUser"
            ? FakeCognito.Error(HttpStatusCode.BadRequest, "UsernameExistsException", "User account already exists")
            : FakeCognito.Ok();

        var response = await SystemAdmin().PostAsJsonAsync("/user", new { userName = "taken", userEmail = "t@example.com", userRole = "TenantUser", tenantId });

        await response.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal(["AdminCreateUser"], AppRequests().Select(r => r.Operation));
    }

    [Fact]
    public async Task BadCredentialsAnswer401AndAnOutageAnswers503()
    {
        _answer = request => (string?)request.Body["AuthParameters"]?["USERNAME"] == "alice"
            ? FakeCognito.Error(HttpStatusCode.BadRequest, "NotAuthorizedException", "Incorrect username or password.")
            : FakeCognito.Error(HttpStatusCode.InternalServerError, "InternalErrorException", "Internal error");
        using var client = _app.CreateClient();

        await (await client.PostAsJsonAsync("/auth/signin", new { userName = "alice", password = "Wr0ng#Password" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/auth/signin", new { userName = "bob", password = "Any#Passw0rd" })).ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task MissingPermissionsAnswer503WithoutDetailsOfTheCause()
    {
        _answer = _ => FakeCognito.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/app is not authorized to perform: cognito-idp:ListUsers");

        var response = await SystemAdmin().GetAsync("/users");

        var problem = await response.ShouldBeProblem(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain("arn:aws", problem.ToString(), StringComparison.Ordinal);
        Assert.Single(AppRequests());
    }

    private static readonly string SystemAdminUser = System.Text.Json.Nodes.JsonNode.Parse("""
        {"Username":"admin","Enabled":true,"UserStatus":"CONFIRMED","UserCreateDate":1.7e9,"UserAttributes":[
          {"Name":"email","Value":"admin@example.com"},{"Name":"custom:tenantId","Value":"system_admins"},{"Name":"custom:userRole","Value":"SystemAdmin"}]}
        """)!.ToJsonString();

    /// <summary>The requests the handler under test made, without the caller look-ups of authentication.</summary>
    private IEnumerable<CapturedRequest> AppRequests() => _cognito.Requests.Where(r => r.Operation != "AdminGetUser");

    private HttpClient SystemAdmin()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", _issuer.IdToken(FakeTokenIssuer.OperationsPool, "admin", Roles.SystemAdmin, Roles.SystemAdminsTenantId));
        return client;
    }

    private async Task<string> ActiveTenantAsync()
    {
        var tenantId = TenantIds.New();
        var now = DateTimeOffset.UtcNow;
        Assert.True(await _app.Services.GetRequiredService<ITenantCatalog>().TryInsertTenantAsync(
            new Tenant(tenantId, "Problems " + tenantId[..8], "p@example.com", null, null, "Basic", TenantStatus.Active, now, now), default));
        return tenantId;
    }
}
