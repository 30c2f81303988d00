using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SaasOnboarding.Testing;

public sealed record Registered(string TenantId, string TenantName, string TenantAdminUserName, string Message);

public sealed record Tokens(string IdToken, string AccessToken, string? RefreshToken, int ExpiresIn, string TokenType);

/// <summary>A freshly registered tenant and tokens for its admin.</summary>
public sealed record OnboardedTenant(string TenantId, string TenantName, string AdminUserName, Tokens AdminTokens);

/// <summary>
/// The journeys that most tests start from. Users are made through the public API; their tokens are the app
/// factory's (<see cref="AppFactory.TokensForAsync"/>: minted for the local identity provider). The methods named
/// for a sign-in take the full sign-in journey instead, for the tests where sign-in is part of what is tested.
/// </summary>
public static class ApiClient
{
    public const string NewPassword = "N3w-Passw0rd!";

    public static HttpClient WithToken(this HttpClient client, string idToken)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
        return client;
    }

    public static HttpClient Client(this AppFactory app, string? idToken = null)
    {
        var client = app.CreateClient();
        return idToken is null ? client : client.WithToken(idToken);
    }

    public static async Task<Registered> RegisterAsync(this AppFactory app, string tenantName, string tier = "Basic", string? email = null)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/registration", new { tenantName, tenantEmail = email ?? "owner@example.com", tenantTier = tier, tenantPhone = "+1 555 0100", tenantAddress = "1 Main St" });
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<Registered>())!;
    }

    /// <summary>Signs in with the temporary password, answers the new-password challenge, answers the tokens.</summary>
    public static async Task<Tokens> FirstSignInAsync(this AppFactory app, string userName, string pool = "tenant")
    {
        var temporaryPassword = await app.TemporaryPasswordAsync(userName);
        using var client = app.CreateClient();
        var challenge = await client.PostAsJsonAsync("/auth/signin", new { userName, password = temporaryPassword, pool });
        await challenge.ShouldBe(HttpStatusCode.OK);
        var body = await challenge.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NEW_PASSWORD_REQUIRED", body.GetProperty("challengeName").GetString());
        var answered = await client.PostAsJsonAsync("/auth/new-password", new { userName, session = body.GetProperty("session").GetString(), newPassword = NewPassword, pool });
        await answered.ShouldBe(HttpStatusCode.OK);
        return (await answered.Content.ReadFromJsonAsync<Tokens>())!;
    }

    public static async Task<Tokens> SignInAsync(this AppFactory app, string userName, string password, string pool = "tenant")
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/auth/signin", new { userName, password, pool });
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    /// <summary>Tokens for the seeded system admin of the operations pool from <see cref="AppFactory.TokensForAsync"/>.</summary>
    public static Task<Tokens> SystemAdminAsync(this AppFactory app) => app.TokensForAsync("admin", "operations");

    /// <summary>The seeded system admin signs in with its password.</summary>
    public static Task<Tokens> SystemAdminSignInAsync(this AppFactory app) => app.SignInAsync("admin", AppFactory.AdminPassword, "operations");

    /// <summary>Registers a tenant; answers it with tokens for its admin from <see cref="AppFactory.TokensForAsync"/>.</summary>
    public static async Task<OnboardedTenant> OnboardAsync(this AppFactory app, string? tenantName = null, string tier = "Basic")
    {
        var registered = await app.RegisterAsync(tenantName ?? "Tenant " + Guid.NewGuid().ToString("N")[..12], tier);
        var tokens = await app.TokensForAsync(registered.TenantAdminUserName);
        return new OnboardedTenant(registered.TenantId, registered.TenantName, registered.TenantAdminUserName, tokens);
    }

    /// <summary>Registers a tenant; its admin signs in for the first time and sets <see cref="NewPassword"/>.</summary>
    public static async Task<OnboardedTenant> OnboardAndSignInAsync(this AppFactory app, string? tenantName = null, string tier = "Basic")
    {
        var registered = await app.RegisterAsync(tenantName ?? "Tenant " + Guid.NewGuid().ToString("N")[..12], tier);
        var tokens = await app.FirstSignInAsync(registered.TenantAdminUserName);
        return new OnboardedTenant(registered.TenantId, registered.TenantName, registered.TenantAdminUserName, tokens);
    }

    /// <summary>Creates a user of the admin's tenant; answers tokens for it from <see cref="AppFactory.TokensForAsync"/>.</summary>
    public static async Task<Tokens> AddUserAsync(this AppFactory app, string adminIdToken, string userName, string role = "TenantUser")
    {
        await app.CreateUserAsync(adminIdToken, userName, role);
        return await app.TokensForAsync(userName);
    }

    /// <summary>Creates a user of the admin's tenant and signs it in for the first time.</summary>
    public static async Task<Tokens> AddUserAndSignInAsync(this AppFactory app, string adminIdToken, string userName, string role = "TenantUser")
    {
        await app.CreateUserAsync(adminIdToken, userName, role);
        return await app.FirstSignInAsync(userName);
    }

    private static async Task CreateUserAsync(this AppFactory app, string adminIdToken, string userName, string role)
    {
        using var client = app.Client(adminIdToken);
        var response = await client.PostAsJsonAsync("/user", new { userName, userEmail = userName + "@example.com", userRole = role });
        await response.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>Asserts the status, showing the body when it differs.</summary>
    public static async Task ShouldBe(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} {expected} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem with this status, a title and a trace id; answers the body.</summary>
    public static async Task<JsonElement> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ShouldBe(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }

    /// <summary>Asserts a 400 validation problem naming these fields.</summary>
    public static async Task<JsonElement> ShouldNameFields(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in fields)
        {
            Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}' in {errors}");
        }

        return problem;
    }
}
