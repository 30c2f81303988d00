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
        var below = _telemetry.Descendants(request);
        var store = Assert.Single(below, span => span.DisplayName == "postgresql products.list");
        Assert.Equal("postgresql", store.GetTagItem("db.system"));
        // Every command runs inside the store's call (a command may sit under another of Npgsql's spans).
        var commands = below.Where(span => span.Source.Name == "Npgsql").ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(tenant.TenantId, span.GetTagItem("tenant.id"));
            Assert.Equal("Basic", span.GetTagItem("tenant.tier"));
            Assert.Contains(span.ParentSpanId, commands.Select(parent => parent.SpanId).Append(store.SpanId));
        });
    }
}
