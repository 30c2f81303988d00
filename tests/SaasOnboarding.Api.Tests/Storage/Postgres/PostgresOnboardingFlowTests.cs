using SaasOnboarding.Api.Tests.Infrastructure;
using SaasOnboarding.Api.Tests.Onboarding;

namespace SaasOnboarding.Api.Tests.Storage.Postgres;

/// <summary>The app on <c>Storage:Provider=Postgres</c>, in a database of its own; identity stays local.</summary>
public sealed class PostgresApp : AppFactory, IAsyncLifetime
{
    private readonly PostgresTestDatabase _database;

    public PostgresApp()
        : this(new PostgresTestDatabase())
    {
    }

    private PostgresApp(PostgresTestDatabase database)
        : base(null, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = database.ConnectionString,
        })
    {
        _database = database;
    }

    public PostgresTestDatabase Database => _database;

    public Task InitializeAsync() => _database.InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The app's pool goes first, then the database and the tenant roles made in it.
        await DisposeAsync();
        await _database.DisposeAsync();
    }
}

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
