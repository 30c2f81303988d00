using System.Diagnostics;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>Spans of the embedded store's app, exported in memory as OTLP would export them.</summary>
public sealed class TenantTracingTests : IClassFixture<EmbeddedApp>
{
    private readonly EmbeddedApp _app;
    private readonly TelemetryCapture _telemetry;
    private readonly FaultPlan _faults;

    public TenantTracingTests(EmbeddedApp app)
    {
        _app = app;
        _telemetry = app.EnableTelemetry();
        _faults = app.EnableFaults();
    }

    [Fact]
    public async Task TenantRequestCarriesTheTenantOnItsSpanAndOnTheStoreCallBelowIt()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(_app);
        await (await tenant.User.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        var request = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/products" && (string?)span.GetTagItem("tenant.id") == tenant.TenantId);
        Assert.Equal("GET /products", request.DisplayName);
        Assert.Equal("GET", request.GetTagItem("http.request.method"));
        Assert.Equal("/products", request.GetTagItem("http.route"));
        Assert.Equal(200, request.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, request.Status);
        Assert.Equal("Basic", request.GetTagItem("tenant.tier"));
        var store = Assert.Single(_telemetry.Descendants(request), span => span.DisplayName == "sqlite products.list");
        Assert.Equal(request.SpanId, store.ParentSpanId);
        Assert.Equal(ActivityKind.Client, store.Kind);
        Assert.Equal("sqlite", store.GetTagItem("db.system"));
        Assert.Equal("products.list", store.GetTagItem("db.operation.name"));
        Assert.Equal(tenant.TenantId, store.GetTagItem("tenant.id"));
        Assert.Equal("Basic", store.GetTagItem("tenant.tier"));
        Assert.Equal(ActivityStatusCode.Unset, store.Status);
    }

    [Fact]
    public async Task AnotherTenantsRequestCarriesItsOwnTenant()
    {
        using var first = await DataPlaneTenant.OnboardAsync(_app);
        using var second = await DataPlaneTenant.OnboardAsync(_app);
        await (await first.User.GetAsync("/orders")).ShouldBe(HttpStatusCode.OK);
        await (await second.User.GetAsync("/orders")).ShouldBe(HttpStatusCode.OK);

        foreach (var tenant in new[] { first, second })
        {
            var request = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/orders" && (string?)span.GetTagItem("tenant.id") == tenant.TenantId);
            var store = Assert.Single(_telemetry.Descendants(request), span => span.DisplayName == "sqlite orders.list");
            Assert.Equal(tenant.TenantId, store.GetTagItem("tenant.id"));
        }
    }

    [Fact]
    public async Task RegistrationRunsEachStepInASpanAndItsLogLineCarriesTheTraceId()
    {
        var registered = await _app.RegisterAsync("Traced " + Guid.NewGuid().ToString("N")[..10], "Premium");

        var request = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/registration" && _telemetry.Descendants(span).Any(child => (string?)child.GetTagItem("tenant.id") == registered.TenantId));
        var steps = _telemetry.Descendants(request).Where(span => span.Source.Name == "SaasOnboarding" && span.DisplayName.StartsWith("registration ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            RegistrationSteps.InOrder.Select(step => "registration " + step),
            steps.OrderBy(span => span.StartTimeUtc).Select(span => span.DisplayName));
        Assert.All(steps, span =>
        {
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Equal(registered.TenantId, span.GetTagItem("tenant.id"));
            Assert.Equal("Premium", span.GetTagItem("tenant.tier"));
        });

        var line = Assert.Single(_app.Logs.Lines, line => line.Contains("Registered tenant " + registered.TenantId, StringComparison.Ordinal));
        Assert.Contains("TraceId=" + request.TraceId.ToHexString(), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedRegistrationStepIsASpanWithAnErrorStatusAndItsUndoIsTraced()
    {
        _faults.Arm(nameof(IUserDirectory.CreateGroupAsync), FaultTiming.Before);
        using var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/registration", new { tenantName = "Failing " + Guid.NewGuid().ToString("N")[..10], tenantEmail = "f@example.com", tenantTier = "Basic" });
        await response.ShouldBeProblem(HttpStatusCode.InternalServerError);

        var request = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/registration" && _telemetry.Descendants(span).Any(child => child.DisplayName == "registration " + RegistrationSteps.Group && child.Status == ActivityStatusCode.Error));
        var spans = _telemetry.Descendants(request);
        var failed = Assert.Single(spans, span => span.DisplayName == "registration " + RegistrationSteps.Group);
        Assert.Equal(typeof(InjectedFaultException).FullName, failed.StatusDescription);
        Assert.Equal(typeof(InjectedFaultException).FullName, failed.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, request.Status);
        Assert.StartsWith("POST /registration", request.DisplayName, StringComparison.Ordinal);
        Assert.Equal(500, request.GetTagItem("http.response.status_code"));
        Assert.Equal("500", request.GetTagItem("error.type"));
        Assert.All(spans.Where(span => span.DisplayName == "registration " + RegistrationSteps.Tenant || span.DisplayName == "registration " + RegistrationSteps.Database), span => Assert.Equal(ActivityStatusCode.Unset, span.Status));
        Assert.DoesNotContain(spans, span => span.DisplayName == "registration " + RegistrationSteps.User);

        // The started steps are undone, each in a span of its own, in reverse order.
        var undone = spans.Where(span => span.DisplayName.StartsWith("registration.undo ", StringComparison.Ordinal)).OrderBy(span => span.StartTimeUtc).Select(span => span.DisplayName);
        Assert.Equal(["registration.undo DeleteGroup", "registration.undo DeleteDatabase", "registration.undo DeleteTenant"], undone);
    }
}
