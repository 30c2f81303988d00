namespace SaasOnboarding.Api.Tests.Onboarding;

[Collection(SharedPostgresApp.Name)]
public sealed class PostgresOnboardingFlowTests(PostgresApp app) : OnboardingFlowTests<PostgresApp>(app)
{
    [Fact]
    public async Task RegistrationOnPostgresLeavesAnActiveTenantWithItsOwnSchemaAndRole()
    {
        var tenant = await App.RegisterAsync("Pg Journey " + Guid.NewGuid().ToString("N")[..8]);

        await using var command = App.Database.DataSource.CreateCommand(
            """
            SELECT (SELECT status FROM catalog.tenant WHERE id = $1) || ' '
                || (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'tenant_' || $1) || ' '
                || (SELECT count(*) FROM catalog.onboarding_journal WHERE tenant_id = $1)
            """);
        command.Parameters.AddWithValue(tenant.TenantId);

        Assert.Equal($"Active tenant_{tenant.TenantId} 0", await command.ExecuteScalarAsync());
    }
}
