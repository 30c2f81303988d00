using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Stores.Tests.Postgres;

/// <summary><c>Storage:Provider=Postgres</c> through the real host: wiring, start-up validation, schema creation.</summary>
public sealed class PostgresStorageSetupTests(PostgresStorageFixture fixture) : IClassFixture<PostgresStorageFixture>
{
    [Fact]
    public async Task TheAppStartsOnPostgresAndCreatesTheCatalog()
    {
        // A database of its own, so that the catalog the app finds was made by the app.
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        try
        {
            await using var app = App(("Storage:Provider", "postgres"), ("Storage:Postgres:ConnectionString", database.ConnectionString));
            using var client = app.CreateClient();

            // Ready: the catalog answered a ping through the app's data source.
            var health = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.IsType<PostgresTenantCatalog>(app.Services.GetRequiredService<ITenantCatalog>());
            Assert.IsType<PostgresTenantDatabases>(app.Services.GetRequiredService<ITenantDatabases>());
            Assert.Same(app.Services.GetRequiredService<NpgsqlDataSource>(), app.Services.GetRequiredService<NpgsqlDataSource>());
            await using var command = database.DataSource.CreateCommand(
                "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'catalog'");
            Assert.Equal("access_revision,audit_entry,lease,onboarding_journal,outbox_event,outbox_sequence,rate_window,schema_version,tenant,tenant_user,webhook_cursor,webhook_delivery,webhook_endpoint", await command.ExecuteScalarAsync());
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheDatabasePasswordNeverReachesALogLineEvenAtTrace()
    {
        var password = new NpgsqlConnectionStringBuilder(fixture.Database.ConnectionString).Password;
        using var app = App(
            ("Storage:Provider", "Postgres"),
            ("Storage:Postgres:ConnectionString", fixture.Database.ConnectionString),
            ("Logging:LogLevel:Npgsql", "Trace"));

        var registered = await app.RegisterAsync("Logged " + Guid.NewGuid().ToString("N")[..8]);

        Assert.False(string.IsNullOrEmpty(password));
        Assert.Contains(app.Logs.Lines, line => line.Contains(" Npgsql.", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, line => line.Contains(registered.TenantId, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public void TheAppRefusesToStartWithoutAConnectionStringAndNamesTheSetting()
    {
        var error = StartupFailures.MessageOf(() => App(("Storage:Provider", "Postgres"), ("Storage:Postgres:ConnectionString", null)));

        Assert.Contains("Storage:Postgres:ConnectionString", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheConnectionStringIsReadOnceFromAnSsmSecureStringAtStart()
    {
        var parameters = new FakeSecureParameters(("/saas/postgres", fixture.Database.ConnectionString));
        await using var app = App(parameters, ("Storage:Provider", "Postgres"), ("Storage:Postgres:ConnectionStringParameterName", "/saas/postgres"));
        using var client = app.CreateClient();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var registered = await app.RegisterAsync("From SSM " + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        await using (var schema = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @name", connection))
        {
            schema.Parameters.AddWithValue("name", TenantIds.DatabaseName(registered.TenantId));
            Assert.Equal(1L, await schema.ExecuteScalarAsync());
        }

        Assert.Equal(["/saas/postgres"], parameters.Reads);
    }

    [Fact]
    public void AConnectionStringFromSsmThatCannotPoolStopsTheAppWithoutEchoingIt()
    {
        var unsafeString = fixture.Database.ConnectionString + ";Pooling=false";
        var password = new NpgsqlConnectionStringBuilder(unsafeString).Password!;
        var error = StartupFailures.MessageOf(() => App(new FakeSecureParameters(("/saas/postgres", unsafeString)), ("Storage:Provider", "Postgres"), ("Storage:Postgres:ConnectionStringParameterName", "/saas/postgres")));

        Assert.Contains("Storage:Postgres:ConnectionStringParameterName", error, StringComparison.Ordinal);
        Assert.Contains("Pooling", error, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChildDatabaseOfTheCallersTenantIsTheScopedClient()
    {
        await using var app = App(("Storage:Provider", "Postgres"), ("Storage:Postgres:ConnectionString", fixture.Database.ConnectionString));
        var tenantId = TenantIds.New();
        await app.Services.GetRequiredService<ITenantDatabases>().CreateAsync(tenantId, CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SaasOnboarding.Api.Tenancy.TenantContext>().Set("tenant-admin-" + tenantId, SaasOnboarding.Api.Identity.UserPool.Tenant, "TenantAdmin", tenantId);

        var database = scope.ServiceProvider.GetRequiredService<ITenantDatabase>();

        Assert.IsType<PostgresTenantDatabase>(Assert.IsType<TracedTenantDatabase>(database).Store);
        Assert.Empty((await database.ListProductsAsync(5, null, CancellationToken.None)).Items);
        Assert.Equal(WriteOutcome.Done, (await database.CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0), CancellationToken.None)).Outcome);

        // The product is in the caller's tenant's schema: the scoped client is bound to that tenant.
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
#pragma warning disable CA2100 // A test statement naming a schema the test made.
        await using var count = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {TenantIds.DatabaseName(tenantId)}.product WHERE sku = 'PEN-1'", connection);
#pragma warning restore CA2100
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    /// <summary>The test app (local identity in a temporary directory) with these storage settings.</summary>
    [Fact]
    public async Task TheMaxPoolSizeSettingBoundsTheConnectionsWhateverTheConnectionStringSays()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 50, Timeout = 1 }.ConnectionString;
            await using var app = App(
                ("Storage:Provider", "Postgres"), ("Storage:Postgres:ConnectionString", connectionString), ("Storage:Postgres:MaxPoolSize", "2"));
            using var client = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
            var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();

            await using var first = await dataSource.OpenConnectionAsync();
            await using var second = await dataSource.OpenConnectionAsync();
            var third = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());

            Assert.Contains("pool", third.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static AppFactory App(params (string Key, string? Value)[] settings) =>
        new(null, settings.ToDictionary(setting => setting.Key, setting => setting.Value));

    /// <summary>The same, with SSM Parameter Store replaced by <paramref name="parameters"/>.</summary>
    private static AppFactory App(FakeSecureParameters parameters, params (string Key, string? Value)[] settings) =>
        new(null, settings.ToDictionary(setting => setting.Key, setting => (string?)setting.Value), services => services.AddSingleton<ISecureParameterReader>(parameters));

    /// <summary>SecureString parameters in memory, recording which were read.</summary>
    private sealed class FakeSecureParameters(params (string Name, string Value)[] parameters) : ISecureParameterReader
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> ReadNames { get; } = new();

        public IReadOnlyList<string> Reads => [.. ReadNames];

        public Task<string> ReadSecureStringAsync(string parameterName, CancellationToken cancellationToken)
        {
            ReadNames.Enqueue(parameterName);
            return Task.FromResult(parameters.Single(parameter => parameter.Name == parameterName).Value);
        }
    }
}
