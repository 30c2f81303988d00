namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>What the app logs while serving a caller names the caller's tenant, or for provider staff its role.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class TenantLogScopeTests(EmbeddedApp app)
{
    [Fact]
    public async Task ALineLoggedDuringATenantUsersRequestNamesItsTenant()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(app);
        var scarce = await tenant.StockAsync("SCOPED", 1m, 1);

        var refused = await tenant.User.PostAsJsonAsync("/order", new { orderName = "Too much", orderProducts = new[] { new { productId = scarce, quantity = 2 } } });

        await refused.ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Contains(app.Logs.Lines, line => line.Contains("Order refused", StringComparison.Ordinal) && line.Contains($"TenantId={tenant.TenantId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALineLoggedDuringAStaffRequestNamesTheStaffRole()
    {
        var tenant = await app.OnboardAsync();
        using var staff = app.Client((await app.SystemAdminAsync()).IdToken);

        await (await staff.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        Assert.Contains(app.Logs.Lines, line => line.Contains($"Deactivated tenant {tenant.TenantId}", StringComparison.Ordinal) && line.Contains("TenantId=SystemAdmin", StringComparison.Ordinal));
    }
}
