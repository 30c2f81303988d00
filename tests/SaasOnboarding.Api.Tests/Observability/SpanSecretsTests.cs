using System.Diagnostics;
using System.Net.Http.Headers;
using OpenTelemetry.Metrics;

namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>No password, token or email address reaches a span or a metric, whatever the request carried.</summary>
public sealed class SpanSecretsTests : IClassFixture<EmbeddedApp>
{
    private readonly EmbeddedApp _app;
    private readonly TelemetryCapture _telemetry;

    public SpanSecretsTests(EmbeddedApp app)
    {
        _app = app;
        _telemetry = app.EnableTelemetry();
    }

    [Fact]
    public async Task RegistrationSignInNewPasswordAndAnAuthenticatedCallLeaveNoSecretInSpansOrMetrics()
    {
        var email = "owner-" + Guid.NewGuid().ToString("N")[..10] + "@example.com";
        var registered = await _app.RegisterAsync("Secretive " + Guid.NewGuid().ToString("N")[..10], email: email);
        var userName = registered.TenantAdminUserName;
        var temporaryPassword = await _app.TemporaryPasswordAsync(userName);

        using var client = _app.CreateClient();
        var challenge = await client.PostAsJsonAsync("/auth/signin", new { userName, password = temporaryPassword, pool = "tenant" });
        await challenge.ShouldBe(HttpStatusCode.OK);
        var session = (await challenge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetString()!;
        var answered = await client.PostAsJsonAsync("/auth/new-password", new { userName, session, newPassword = ApiClient.NewPassword, pool = "tenant" });
        await answered.ShouldBe(HttpStatusCode.OK);
        var tokens = await _app.SignInAsync(userName, ApiClient.NewPassword);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/tenant/{registered.TenantId}?access_token={tokens.AccessToken}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.IdToken);
        await (await client.SendAsync(request)).ShouldBe(HttpStatusCode.OK);

        // The last request's span is there, with its tenant: the scan below looks at the spans that matter.
        var last = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == $"/tenant/{registered.TenantId}");
        Assert.Equal(registered.TenantId, last.GetTagItem("tenant.id"));
        await _telemetry.ServerSpanAsync("/auth/new-password");

        string[] secrets = [email, temporaryPassword, ApiClient.NewPassword, session, tokens.IdToken, tokens.AccessToken, tokens.RefreshToken!];
        var spans = _telemetry.Spans;
        Assert.DoesNotContain(spans.SelectMany(span => span.TagObjects), tag => tag.Key.Contains("authorization", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(spans, span => span.DisplayName.StartsWith("POST /auth/signin", StringComparison.Ordinal));
        foreach (var (where, text) in spans.SelectMany(SpanTexts).Concat(MetricTexts(_telemetry.Metrics())))
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{where} holds a secret: {text}");
            }
        }
    }

    private static IEnumerable<(string Where, string Text)> SpanTexts(Activity span)
    {
        yield return (span.DisplayName, span.DisplayName);
        yield return (span.DisplayName + " status", span.StatusDescription ?? string.Empty);
        foreach (var tag in span.TagObjects)
        {
            yield return ($"{span.DisplayName} {tag.Key}", Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        foreach (var item in span.Events.SelectMany(e => e.Tags))
        {
            yield return ($"{span.DisplayName} event {item.Key}", Convert.ToString(item.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        foreach (var item in span.Baggage)
        {
            yield return ($"{span.DisplayName} baggage {item.Key}", item.Value ?? string.Empty);
        }
    }

    private static IEnumerable<(string Where, string Text)> MetricTexts(IReadOnlyList<MetricSnapshot> metrics)
    {
        foreach (var metric in metrics)
        {
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    yield return ($"{metric.Name} {tag.Key}", Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                }
            }
        }
    }
}
