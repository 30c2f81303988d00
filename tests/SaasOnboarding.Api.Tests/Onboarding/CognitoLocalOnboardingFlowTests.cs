using Microsoft.AspNetCore.Hosting;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Tests.Onboarding;

/// <summary>The end-to-end journeys with Amazon Cognito as the identity provider, against cognito-local.</summary>
[Collection(SharedCognitoLocalApp.Name)]
public sealed class CognitoLocalOnboardingFlowTests(CognitoLocalApp app) : OnboardingFlowTests<CognitoLocalApp>(app)
{
    [Fact]
    public async Task ReadinessReachesBothUserPools()
    {
        using var client = App.CreateClient();

        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("identity").GetString());
    }

    [Fact]
    public async Task RegistrationPutsTheTenantAdminInItsGroupInTheTenantPool()
    {
        var registered = await App.RegisterAsync("Grouped " + Guid.NewGuid().ToString("N")[..8]);

        var members = await App.Cognito.CallAsync("ListUsersInGroup", new { UserPoolId = App.Cognito.Options.TenantUserPoolId, GroupName = registered.TenantId });

        var admin = Assert.Single(members["Users"]!.AsArray());
        Assert.Equal(registered.TenantAdminUserName, (string?)admin!["Username"]);
        Assert.Equal("FORCE_CHANGE_PASSWORD", (string?)admin["UserStatus"]);
        var attributes = admin["Attributes"]!.AsArray().ToDictionary(a => (string)a!["Name"]!, a => (string?)a!["Value"]);
        Assert.Equal(("owner@example.com", registered.TenantId, "TenantAdmin"), (attributes["email"], attributes["custom:tenantId"], attributes["custom:userRole"]));
    }
}
