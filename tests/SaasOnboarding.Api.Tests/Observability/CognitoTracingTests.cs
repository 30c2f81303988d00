using System.Diagnostics;
using System.Globalization;

namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>With Cognito (here cognito-local), the identity provider's HTTP calls are client spans under the request that carry the tenant.</summary>
public sealed class CognitoTracingTests : IClassFixture<CognitoLocalApp>
{
    private readonly CognitoLocalApp _app;
    private readonly TelemetryCapture _telemetry;

    public CognitoTracingTests(CognitoLocalApp app)
    {
        _app = app;
        _telemetry = app.EnableTelemetry();
    }

    [Fact]
    public async Task TenantAdminsUserListCarriesTheTenantDownToTheCallsToTheIdentityProvider()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(_app);
        await (await tenant.Admin.GetAsync("/users")).ShouldBe(HttpStatusCode.OK);

        var request = await _telemetry.ServerSpanAsync(span => (string?)span.GetTagItem("url.path") == "/users" && (string?)span.GetTagItem("tenant.id") == tenant.TenantId);
        var calls = _telemetry.Descendants(request).Where(span => span.Kind == ActivityKind.Client && span.GetTagItem("http.request.method") is not null).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, span =>
        {
            Assert.Equal(new Uri(_app.Cognito.ServiceUrl).Port, Convert.ToInt32(span.GetTagItem("server.port"), CultureInfo.InvariantCulture));
            Assert.Equal(tenant.TenantId, span.GetTagItem("tenant.id"));
            Assert.Equal("Basic", span.GetTagItem("tenant.tier"));
        });
    }
}
