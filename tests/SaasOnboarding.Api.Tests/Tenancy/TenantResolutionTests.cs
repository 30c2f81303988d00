using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>What tenant resolution answers a caller it does not let through, and what it leaves for the handlers.</summary>
public sealed class TenantResolutionTests(EmbeddedApp app) : IClassFixture<EmbeddedApp>
{
    [Fact]
    public async Task AUserOfADeactivatedTenantIsToldTheTenantIsNotActiveAndWhoCanReactivateIt()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        using var staff = app.Client((await app.SystemAdminAsync()).IdToken);
        await (await staff.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        var refused = await tenant.User.GetAsync("/products");

        var problem = await refused.ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal("Tenant is not active", problem.GetProperty("title").GetString());
        Assert.Equal("This tenant has been deactivated. A provider administrator can reactivate it.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public void AContextWithoutATenantRefusesToNameOne()
    {
        var staff = new TenantContext();
        staff.Set("operator", SaasOnboarding.Api.Identity.UserPool.Operations, Roles.SystemAdmin, null);

        var error = Assert.Throws<InvalidOperationException>(() => staff.RequiredTenantId);

        Assert.Equal("This request has no tenant.", error.Message);
    }
}
