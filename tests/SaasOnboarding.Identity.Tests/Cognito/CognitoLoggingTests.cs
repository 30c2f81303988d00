namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>No password, session, token, signature or AWS secret reaches a log line, even at Trace.</summary>
public sealed class CognitoLoggingTests
{
    [Fact]
    public async Task OnboardingSignInAndRefreshThroughCognitoLogNoSecrets()
    {
        await using var app = new CognitoLocalApp(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:System.Net.Http"] = "Trace",
        });
        await app.InitializeAsync();
        try
        {
            await JourneyLogsNoSecretsAsync(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task JourneyLogsNoSecretsAsync(CognitoLocalApp app)
    {
        var secrets = new List<string> { CognitoLocalFixture.TestCredentials.GetCredentials().SecretKey };

        var registered = await app.RegisterAsync("Quiet " + Guid.NewGuid().ToString("N")[..8]);
        var temporary = await app.TemporaryPasswordAsync(registered.TenantAdminUserName);
        secrets.Add(temporary);
        using var client = app.CreateClient();
        var challenge = await (await client.PostAsJsonAsync("/auth/signin", new { userName = registered.TenantAdminUserName, password = temporary }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var session = challenge.GetProperty("session").GetString()!;
        secrets.Add(session);
        var answered = await client.PostAsJsonAsync("/auth/new-password", new { userName = registered.TenantAdminUserName, session, newPassword = ApiClient.NewPassword });
        var first = (await answered.Content.ReadFromJsonAsync<Tokens>())!;
        var signedIn = await app.SignInAsync(registered.TenantAdminUserName, ApiClient.NewPassword);
        var refreshed = await client.PostAsJsonAsync("/auth/refresh", new { refreshToken = signedIn.RefreshToken });
        await refreshed.ShouldBe(HttpStatusCode.OK);
        var again = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
        await (await client.PostAsJsonAsync("/auth/signin", new { userName = registered.TenantAdminUserName, password = "Wr0ng-Password!" }))
            .ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await app.Client(first.IdToken).GetAsync($"/tenant/{registered.TenantId}")).ShouldBe(HttpStatusCode.OK);
        var system = await app.SystemAdminSignInAsync();
        await (await app.Client(system.IdToken).GetAsync($"/users?tenantId={registered.TenantId}")).ShouldBe(HttpStatusCode.OK);
        secrets.AddRange([ApiClient.NewPassword, "Wr0ng-Password!", AppFactory.AdminPassword]);
        foreach (var tokens in new[] { first, signedIn, again, system })
        {
            secrets.AddRange(new[] { tokens.IdToken, tokens.AccessToken, tokens.RefreshToken }.OfType<string>());
        }

        var lines = app.Logs.Lines.ToList();

        // The capture saw the Cognito traffic, including the HTTP client's header logging, so its silence counts.
        Assert.Contains(lines, line => line.Contains("Cognito AdminCreateUser", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Cognito InitiateAuth", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Authorization: *", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            Assert.DoesNotContain("AWS4-HMAC-SHA256", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Signature=", line, StringComparison.Ordinal);
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"A log line shows a secret: {line[..Math.Min(line.Length, 200)]}");
            }

            // No part of a JWT either (its signature is the part that must never leak).
            foreach (var token in secrets.Where(s => s.Count(c => c == '.') == 2))
            {
                Assert.DoesNotContain(token.Split('.')[2], line, StringComparison.Ordinal);
            }
        }
    }
}
