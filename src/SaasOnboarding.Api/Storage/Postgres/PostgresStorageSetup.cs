using Microsoft.Extensions.Options;
using Npgsql;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Storage.Postgres;

public static class PostgresStorageSetup
{
    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> for the whole app; the catalog and every tenant's child client
    /// share it. Tenant separation comes from the role each child transaction sets, not from separate pools. The
    /// connection string comes from <c>Storage:Postgres:ConnectionString</c> or from the SecureString named by
    /// <c>Storage:Postgres:ConnectionStringParameterName</c>, read once at start.
    /// </summary>
    public static void AddPostgresStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<PostgresStorageOptions, PostgresStorageOptionsValidator>().BindConfiguration(PostgresStorageOptions.Section);
        builder.Services.AddSecureParameters(builder.Configuration);
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<PostgresStorageOptions>>().Value;
            return CreateDataSource(ResolveConnectionString(services, options), services.GetRequiredService<ILoggerFactory>(), options.MaxPoolSize);
        });
        builder.Services.AddSingleton<ITenantCatalog, PostgresTenantCatalog>();
        builder.Services.AddSingleton(services => PostgresTenantCatalog.WebhookStore(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<ITenantDatabases, PostgresTenantDatabases>();
    }

    /// <summary>Statements kept prepared per connection, the least recently used replaced first: more than the app has.</summary>
    internal const int MaxPreparedStatements = 64;

    /// <summary>
    /// The pooled data source; <paramref name="maxPoolSize"/> (<c>Storage:Postgres:MaxPoolSize</c>) replaces any
    /// <c>Max Pool Size</c> of the connection string, so that the setting alone bounds this instance's connections.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, ILoggerFactory loggerFactory, int maxPoolSize = PostgresStorageOptions.DefaultMaxPoolSize)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        builder.ConnectionStringBuilder.MinPoolSize = Math.Min(builder.ConnectionStringBuilder.MinPoolSize, maxPoolSize);

        // Validation refuses a connection string that turns pooling off; set it anyway for every caller of this method.
        builder.ConnectionStringBuilder.Pooling = true;

        // No statement of the app leaves state in the session beyond its transaction (docs/storage-postgres.md,
        // "Pooled connections"), so a connection goes back to the pool as it came: no reset is sent before its next
        // use, and the statements Npgsql prepares on it (those run at least 5 times) stay prepared.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.MaxAutoPrepare = MaxPreparedStatements;
        builder.ConnectionStringBuilder.ApplicationName ??= "SaasOnboarding";
        builder.UseLoggerFactory(loggerFactory);
        return builder.Build();
    }

    private static string ResolveConnectionString(IServiceProvider services, PostgresStorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        // The data source is built once, when the storage initializer starts and before the first request; a DI
        // factory cannot await, so this one read at start blocks (ASP.NET Core has no synchronization context).
        var parameterName = options.ConnectionStringParameterName!;
        var connectionString = services.GetRequiredService<ISecureParameterReader>()
            .ReadSecureStringAsync(parameterName, CancellationToken.None).GetAwaiter().GetResult();
        var problems = PostgresStorageOptions.ConnectionStringProblems(connectionString).ToList();
        if (problems.Count > 0)
        {
            var setting = $"{PostgresStorageOptions.Section}:{nameof(PostgresStorageOptions.ConnectionStringParameterName)}";
            throw new OptionsValidationException(
                setting,
                typeof(PostgresStorageOptions),
                [.. problems.Select(problem => $"The connection string in SSM parameter {parameterName} ({setting}) {problem}")]);
        }

        return connectionString;
    }
}
