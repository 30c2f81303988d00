using OpenTelemetry.Metrics;

namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>Metric series per tenant, exported in memory as OTLP would export them.</summary>
[Collection(TelemetryCounting.Name)]
public sealed class TenantMetricsTests : IDisposable
{
    private readonly AppFactory _app = new(null, new Dictionary<string, string?>
    {
        ["RateLimits:TenantPermits:Basic"] = "3",
        ["RateLimits:TenantWindow"] = "00:10:00",
        ["Tenancy:StatusCacheDuration"] = "00:10:00",
    });

    private readonly TelemetryCapture _telemetry;

    public TenantMetricsTests() => _telemetry = _app.EnableTelemetry();

    [Fact]
    public async Task TwoTenantsTrafficMakesSeparateRequestSeries()
    {
        var basic = await _app.OnboardAsync(tier: "Basic");
        var premium = await _app.OnboardAsync(tier: "Premium");
        using var basicClient = _app.Client(basic.AdminTokens.IdToken);
        using var premiumClient = _app.Client(premium.AdminTokens.IdToken);
        await SendAsync(basicClient, "/products", 2);
        await SendAsync(premiumClient, "/products", 3);
        await (await premiumClient.GetAsync("/product/no-such-product")).ShouldBeProblem(HttpStatusCode.NotFound);

        var metrics = await _telemetry.MetricsAsync(snapshot => Points(snapshot, "http.server.request.duration")
            .Where(point => Tag(point, "http.route") is "/products" or "/product/{id}")
            .Sum(point => point.GetHistogramCount()) >= 6);
        var requests = Points(metrics, "http.server.request.duration").Where(point => Tag(point, "http.route") == "/products").ToList();
        Assert.Equal(2, Assert.Single(requests, point => Tag(point, "tenant.id") == basic.TenantId).GetHistogramCount());
        Assert.Equal(3, Assert.Single(requests, point => Tag(point, "tenant.id") == premium.TenantId).GetHistogramCount());
        Assert.Equal("Basic", Tag(requests.Single(point => Tag(point, "tenant.id") == basic.TenantId), "tenant.tier"));
        Assert.Equal("Premium", Tag(requests.Single(point => Tag(point, "tenant.id") == premium.TenantId), "tenant.tier"));

        // The failed request is a series of its own, by status code: an error rate per tenant.
        var failed = Assert.Single(Points(metrics, "http.server.request.duration"), point => Tag(point, "tenant.id") == premium.TenantId && Tag(point, "http.response.status_code") == "404");
        Assert.Equal(1, failed.GetHistogramCount());
        Assert.DoesNotContain(Points(metrics, "http.server.request.duration"), point => Tag(point, "tenant.id") == basic.TenantId && Tag(point, "http.response.status_code") == "404");
    }

    [Fact]
    public async Task RateLimitRejectionsAreCountedByTenantAndRoute()
    {
        var basic = await _app.OnboardAsync(tier: "Basic");
        var other = await _app.OnboardAsync(tier: "Basic");
        using var basicClient = _app.Client(basic.AdminTokens.IdToken);
        using var otherClient = _app.Client(other.AdminTokens.IdToken);
        await SendAsync(basicClient, "/products", 3);
        for (var i = 0; i < 2; i++)
        {
            await (await basicClient.GetAsync("/products")).ShouldBeProblem(HttpStatusCode.TooManyRequests);
        }

        await SendAsync(otherClient, "/orders", 1);

        var rejections = Points(_telemetry.Metrics(), "saasonboarding.rate_limit.rejections").ToList();
        var point = Assert.Single(rejections);
        Assert.Equal(2, point.GetSumLong());
        Assert.Equal(basic.TenantId, Tag(point, "tenant.id"));
        Assert.Equal("Basic", Tag(point, "tenant.tier"));
        Assert.Equal("/products", Tag(point, "http.route"));
    }

    [Fact]
    public async Task RegistrationStepsAndRevocationCacheLookupsAreCounted()
    {
        var tenant = await _app.OnboardAsync();
        using var client = _app.Client(tenant.AdminTokens.IdToken);
        await SendAsync(client, "/products", 3);

        var metrics = _telemetry.Metrics();
        var steps = Points(metrics, "saasonboarding.saga.steps").Where(point => Tag(point, "saga.name") == "registration").ToList();
        Assert.Equal(RegistrationSteps.InOrder.Order(StringComparer.Ordinal), steps.Select(point => Tag(point, "saga.step")).Order(StringComparer.Ordinal));
        Assert.All(steps, point =>
        {
            Assert.Equal("ok", Tag(point, "saga.outcome"));
            Assert.Equal(1, point.GetSumLong());
        });

        // Within the cache's duration the first request reads the caller and the tenant, the next two find both.
        var lookups = Points(metrics, "saasonboarding.revocation_cache.lookups").ToList();
        foreach (var cache in new[] { "caller", "tenant" })
        {
            Assert.Equal(1, Assert.Single(lookups, point => Tag(point, "cache.name") == cache && Tag(point, "cache.result") == "miss").GetSumLong());
            Assert.Equal(2, Assert.Single(lookups, point => Tag(point, "cache.name") == cache && Tag(point, "cache.result") == "hit").GetSumLong());
        }
    }

    public void Dispose() => _app.Dispose();

    private static async Task SendAsync(HttpClient client, string path, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await (await client.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
        }
    }

    private static IEnumerable<MetricPoint> Points(IReadOnlyList<MetricSnapshot> metrics, string name) =>
        metrics.Where(metric => metric.Name == name).SelectMany(metric => metric.MetricPoints);

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
