namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary><c>/health</c> and <c>/health/ready</c>: liveness, readiness, and what a failed check looks like.</summary>
public sealed class HealthTests : IClassFixture<HealthTests.App>
{
    private readonly App _app;
    private readonly FaultPlan _faults;

    public HealthTests(App app)
    {
        _app = app;
        _faults = app.EnableFaults();
        _faults.Disarm();
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    public async Task AnswersGetAndHeadUncached(string path)
    {
        using var client = _app.CreateClient();
        using var get = await client.GetAsync(path);
        await get.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("application/json", get.Content.Headers.ContentType?.MediaType);
        Assert.True(get.Headers.CacheControl?.NoStore, "health answers must not be cached");
        var body = await get.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(check => check.Name, check => check.Value.GetString());
        Assert.Equal(path == "/health" ? [] : ["identity", "storage"], checks.Keys.Order());
        Assert.All(checks.Values, status => Assert.Equal("Healthy", status));

        // Probes may use HEAD (Kestrel then sends no body; the in-process test server does not strip it).
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        await head.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReadinessAnswers503NamingTheCheckThatFailedAndLogsIt()
    {
        using var client = _app.CreateClient();

        // Storage and identity both have PingAsync: the plan fails whichever is asked first, once.
        _faults.Arm("PingAsync", FaultTiming.Before);
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(check => check.Name, check => check.Value.GetString());
        Assert.Equal(["identity", "storage"], checks.Keys.Order());
        Assert.Equal(["Healthy", "Unhealthy"], checks.Values.Order());
        var failed = checks.Single(check => check.Value == "Unhealthy").Key;
        Assert.Contains(_app.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains($"Health check {failed} ", StringComparison.Ordinal) && line.Contains("InjectedFault", StringComparison.Ordinal));

        // Liveness does not run the checks, and readiness recovers with them.
        _faults.Arm("PingAsync", FaultTiming.Before);
        using var live = await client.GetAsync("/health");
        await live.ShouldBe(HttpStatusCode.OK);
        _faults.Disarm();
        using var again = await client.GetAsync("/health/ready");
        await again.ShouldBe(HttpStatusCode.OK);
    }

    public sealed class App : AppFactory;
}
