namespace SaasOnboarding.Testing;

/// <summary>The app on <c>Storage:Provider=Postgres</c>, in a database of its own; identity stays local.</summary>
public class PostgresApp : AppFactory, IAsyncLifetime
{
    private readonly PostgresTestDatabase _database;

    public PostgresApp()
        : this(new PostgresTestDatabase(), null)
    {
    }

    /// <summary>With services of the test's own, such as a clock it moves (a factory: a fixture type has one public constructor).</summary>
    public static PostgresApp WithServices(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services) =>
        new(new PostgresTestDatabase(), services);

    /// <summary>With settings of a subclass's own, beside the store's.</summary>
    protected PostgresApp(IDictionary<string, string?> settings)
        : this(new PostgresTestDatabase(), null, settings)
    {
    }

    private PostgresApp(PostgresTestDatabase database, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services, IDictionary<string, string?>? settings = null)
        : base(
            null,
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:Postgres:ConnectionString"] = database.ConnectionString,
            },
            services)
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
