using System.Diagnostics;

namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>On PostgreSQL, Npgsql's own spans sit under the store's span and carry the tenant.</summary>
public sealed class PostgresTracingTests : IClassFixture<PostgresApp>
{
    private readonly PostgresApp _app;
    private readonly TelemetryCapture _telemetry;

    public PostgresTracingTests(PostgresApp app)
    {
        _app = app;
        _telemetry = app.EnableTelemetry();
    }

    [Fact]
    public async Task TenantRequestCarriesTheTenantDownToNpgsqlsCommandSpans()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(_app);
        await tenant.StockAsync("OTEL-1", 2.50m, 3);
        await (await tenant.User.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        var request = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/products" && (string?)span.GetTagItem("tenant.id") == tenant.TenantId);
        var store = Assert.Single(_telemetry.Descendants(request), span => span.DisplayName == "postgresql products.list");
        Assert.Equal("postgresql", store.GetTagItem("db.system"));
        var commands = _telemetry.Descendants(store);
        Assert.NotEmpty(commands);
        Assert.All(commands, span =>
        {
            Assert.Equal("Npgsql", span.Source.Name);
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(tenant.TenantId, span.GetTagItem("tenant.id"));
            Assert.Equal("Basic", span.GetTagItem("tenant.tier"));
        });
    }
}
