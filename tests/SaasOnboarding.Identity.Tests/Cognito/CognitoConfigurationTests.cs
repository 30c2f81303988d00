using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary><c>Identity:Cognito</c> is checked at start, and a wrong setting stops the app naming it.</summary>
public sealed class CognitoConfigurationTests
{
    [Theory]
    [InlineData("Identity:Cognito:TenantClientId", null, "Identity:Cognito:TenantClientId")]
    [InlineData("Identity:Cognito:Region", "Frankfurt", "Identity:Cognito:Region")]
    [InlineData("Identity:Cognito:OperationsUserPoolId", "us-east-1_Abc123", "Identity:Cognito:OperationsUserPoolId")]
    [InlineData("Identity:Cognito:TenantUserPoolId", "eu-central-1_Operations1", "must name two different pools")]
    [InlineData("Identity:Cognito:ServiceUrl", "http://cognito.example.com", "Identity:Cognito:ServiceUrl")]
    [InlineData("Identity:Cognito:ServiceUrl", "not a url", "Identity:Cognito:ServiceUrl")]
    public async Task AWrongSettingStopsTheAppAndIsNamed(string setting, string? value, string expectedInMessage)
    {
        var settings = FakeCognito.Settings();
        settings[setting] = value;

        // The app's own registration, started as Program starts it (a host rather than WebApplicationFactory,
        // whose failed start can race its own disposal and hide the validation error).
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIdentityProvider();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidSettingsStartTheAppWithoutCallingCognito()
    {
        // No credentials and no network are needed to start: Cognito is first called by a request.
        using var app = new AppFactory(null, FakeCognito.Settings());
        using var client = app.CreateClient();

        var health = await client.GetAsync("/health");

        await health.ShouldBe(HttpStatusCode.OK);
    }
}
