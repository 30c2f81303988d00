using Npgsql;

namespace SaasOnboarding.Api.Tests.Tenancy;

/// <summary>The data-plane isolation tests on <c>Storage:Provider=Postgres</c>, where a tenant's database is a schema of its own.</summary>
[Collection(SharedPostgresApp.Name)]
public sealed class PostgresDataPlaneIsolationTests(PostgresApp app) : DataPlaneIsolationTests<PostgresApp>(app)
{
    protected override async Task AssertRowsOnlyInOwnDatabaseAsync(DataPlaneTenant owner, DataPlaneTenant other, string sku, string orderName, string orderId)
    {
        await using var command = App.Database.DataSource.CreateCommand(
            $"""
            SELECT (SELECT count(*) FROM tenant_{owner.TenantId}.product WHERE sku = @sku) || ' '
                || (SELECT count(*) FROM tenant_{owner.TenantId}.customer_order WHERE id = @order) || ' '
                || (SELECT count(*) FROM tenant_{other.TenantId}.product) || ' '
                || (SELECT count(*) FROM tenant_{other.TenantId}.customer_order)
            """);
        command.Parameters.Add(new NpgsqlParameter("sku", sku));
        command.Parameters.Add(new NpgsqlParameter("order", orderId));

        Assert.Equal("1 1 0 0", (string)(await command.ExecuteScalarAsync())!);
    }
}
