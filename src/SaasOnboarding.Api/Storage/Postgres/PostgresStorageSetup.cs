using Microsoft.Extensions.Options;
using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

public static class PostgresStorageSetup
{
    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> for the whole app; the catalog and every tenant's child client
    /// share it. Tenant separation comes from the role each child transaction sets, not from separate pools.
    /// </summary>
    public static void AddPostgresStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PostgresStorageOptions>()
            .BindConfiguration(PostgresStorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => CreateDataSource(
            ResolveConnectionString(services.GetRequiredService<IOptions<PostgresStorageOptions>>().Value),
            services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<ITenantCatalog, PostgresTenantCatalog>();
        builder.Services.AddSingleton<ITenantDatabases, PostgresTenantDatabases>();
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString, ILoggerFactory loggerFactory)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // Validation refuses a connection string that turns these off; set them anyway so that no caller of this
        // method can get a pool that hands one tenant's session state to the next.
        builder.ConnectionStringBuilder.Pooling = true;
        builder.ConnectionStringBuilder.NoResetOnClose = false;
        builder.ConnectionStringBuilder.ApplicationName ??= "SaasOnboarding";
        builder.UseLoggerFactory(loggerFactory);
        return builder.Build();
    }

    private static string ResolveConnectionString(PostgresStorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        // Seam for the SSM work shared with the Fauna adapter: read the SecureString named here once at start.
        throw new InvalidOperationException(
            $"{PostgresStorageOptions.Section}:{nameof(PostgresStorageOptions.ConnectionStringParameterName)} is set, but reading the " +
            $"connection string from SSM Parameter Store is not available in this build yet; set {PostgresStorageOptions.Section}:{nameof(PostgresStorageOptions.ConnectionString)}.");
    }
}
