using Microsoft.Extensions.Logging.Abstractions;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Postgres;
using Npgsql;

namespace SaasOnboarding.Stores.Tests.Postgres;

/// <summary>The conformance suite on PostgreSQL, plus what is particular to it.</summary>
public sealed class PostgresStorageConformanceTests(PostgresStorageFixture fixture)
    : StorageConformanceTests(fixture), IClassFixture<PostgresStorageFixture>
{
    [Fact]
    public async Task APageTokenWhoseKeysAreNotACreationKeyIsRefusedNotAServerError()
    {
        var database = Databases.Open(await NewChildAsync());

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListProductsAsync(5, PageTokens.Encode("not a time", "x"), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(5, PageTokens.Encode("2026-13-45", "x"), CancellationToken.None));
    }

    [Fact]
    public async Task ASchemaMadeBeforeTheFoldedSkuIndexStillLetsOneOfConcurrentCaseVariantsWin()
    {
        var tenantId = await NewChildWithoutTheFoldedSkuIndexAsync();

        string[] skus = ["OLD-1", "old-1", "Old-1", "oLD-1", "OlD-1", "oLd-1"];
        using var start = new Barrier(skus.Length);
        var writes = await Task.WhenAll(skus.Select(sku => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Databases.Open(tenantId).CreateProductAsync(Draft(sku), CancellationToken.None).GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Equal(1, writes.Count(write => write.Outcome == WriteOutcome.Done));
        Assert.Single((await Databases.Open(tenantId).ListProductsAsync(10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task ProductsAndOrdersAreStampedWithTheClockTheStoreIsGiven()
    {
        // Three days behind the real time: a stamp from the system clock would be days off.
        var clock = new ManualClock();
        clock.Advance(TimeSpan.FromDays(-3));
        var databases = new PostgresTenantDatabases(fixture.Database.DataSource, NullLogger<PostgresTenantDatabases>.Instance, clock);
        var tenantId = TenantIds.New();
        await databases.CreateAsync(tenantId, CancellationToken.None);
        var database = databases.Open(tenantId);

        var product = (await database.CreateProductAsync(Draft("CLOCK-1"), CancellationToken.None)).Product!;
        var order = (await database.CreateOrderAsync("Clocked", [new(product.Id, 1)], CancellationToken.None)).Order!;

        Assert.InRange(product.CreatedAt, clock.GetUtcNow().AddSeconds(-1), clock.GetUtcNow());
        Assert.InRange(order.CreationDate, clock.GetUtcNow().AddSeconds(-1), clock.GetUtcNow());
    }

    [Fact]
    public async Task AWriteAnswersTheVersionAFollowingReadAnswersToTheMicrosecond()
    {
        var tenantId = await NewChildAsync();
        var database = Databases.Open(tenantId);
        var created = await CreateProductAsync(tenantId, Draft("US-1"));
        var updated = (await database.UpdateProductAsync(created.Id, Draft("US-1", name: "Again"), created.Version, CancellationToken.None)).Product!;

        var read = (await database.GetProductAsync(created.Id, CancellationToken.None))!;

        Assert.Equal(updated.Version, read.Version);
        Assert.Equal(updated.UpdatedAt, read.UpdatedAt);
        Assert.Equal(0, read.UpdatedAt.UtcTicks % TimeSpan.TicksPerMicrosecond);
    }

    // ---- the locks that serialize writers: each operation must wait for another transaction holding what it locks ----

    [Fact]
    public async Task ACreationWaitsForAWriterOfTheSameSkuKeyAndThenSeesItsProduct()
    {
        var tenantId = await NewChildWithoutTheFoldedSkuIndexAsync();

        var write = await AfterWaitingForAsync(
            tenantId,
            [(PostgresTenantDatabase.LockSkuSql, [("sku", "LOCK-1")]), (InsertProductSql, [("id", "held"), ("sku", "LOCK-1")])],
            () => Databases.Open(tenantId).CreateProductAsync(Draft("lock-1"), CancellationToken.None));

        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
    }

    [Fact]
    public async Task AnUpdateToAnotherSkuWaitsForAWriterOfThatSkuKeyAndThenSeesItsProduct()
    {
        var tenantId = await NewChildWithoutTheFoldedSkuIndexAsync();
        var product = await CreateProductAsync(tenantId, Draft("MINE-1"));

        var write = await AfterWaitingForAsync(
            tenantId,
            [(PostgresTenantDatabase.LockSkuSql, [("sku", "LOCK-2")]), (InsertProductSql, [("id", "held"), ("sku", "LOCK-2")])],
            () => Databases.Open(tenantId).UpdateProductAsync(product.Id, Draft("lock-2"), null, CancellationToken.None));

        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
        Assert.Equal("MINE-1", (await Databases.Open(tenantId).GetProductAsync(product.Id, CancellationToken.None))!.Sku);
    }

    [Fact]
    public async Task AnUpdateOrDeletionWaitsForAConcurrentChangeOfTheProductAndThenRefusesTheVersionItReplaced()
    {
        var tenantId = await NewChildAsync();
        var updated = await CreateProductAsync(tenantId, Draft("U-1"));
        var deleted = await CreateProductAsync(tenantId, Draft("D-1"));

        var update = await AfterWaitingForAsync(
            tenantId,
            [(TouchProductSql, [("id", updated.Id)])],
            () => Databases.Open(tenantId).UpdateProductAsync(updated.Id, Draft("U-1", name: "Mine"), updated.Version, CancellationToken.None));
        var deletion = await AfterWaitingForAsync(
            tenantId,
            [(TouchProductSql, [("id", deleted.Id)])],
            () => Databases.Open(tenantId).DeleteProductAsync(deleted.Id, deleted.Version, CancellationToken.None));

        Assert.Equal(WriteOutcome.PreconditionFailed, update.Outcome);
        Assert.Equal("Held", (await Databases.Open(tenantId).GetProductAsync(updated.Id, CancellationToken.None))!.Name);
        Assert.Equal(WriteOutcome.PreconditionFailed, deletion);
        Assert.NotNull(await Databases.Open(tenantId).GetProductAsync(deleted.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AnOrderWaitsForAConcurrentStockChangeAndNeverOversells()
    {
        var tenantId = await NewChildAsync();
        var product = await CreateProductAsync(tenantId, Draft("S-1", quantity: 5));

        var order = await AfterWaitingForAsync(
            tenantId,
            [("UPDATE product SET quantity = 0 WHERE id = @id", [("id", product.Id)])],
            () => Databases.Open(tenantId).CreateOrderAsync("Order", [new(product.Id, 1)], CancellationToken.None));

        Assert.Null(order.Order);
        Assert.Equal((product.Id, 0L), (order.ShortProductId, order.Available));
        Assert.Equal(0, (await Databases.Open(tenantId).GetProductAsync(product.Id, CancellationToken.None))!.Quantity);
    }

    [Fact]
    public async Task AnOrderChangeWaitsForAConcurrentChangeOfTheOrderAndKeepsIt()
    {
        var tenantId = await NewChildAsync();
        var product = await CreateProductAsync(tenantId, Draft("O-1", quantity: 5));
        var placed = (await Databases.Open(tenantId).CreateOrderAsync("Order", [new(product.Id, 1)], CancellationToken.None)).Order!;

        var write = await AfterWaitingForAsync(
            tenantId,
            [("UPDATE customer_order SET order_name = 'Held' WHERE id = @id", [("id", placed.Id)])],
            () => Databases.Open(tenantId).UpdateOrderAsync(placed.Id, null, OrderStatus.Shipped, null, CancellationToken.None));

        Assert.Equal(WriteOutcome.Done, write.Outcome);
        Assert.Equal(("Held", OrderStatus.Shipped), (write.Order!.OrderName, write.Order.Status));
    }

    [Fact]
    public async Task AnOrderThatIsNoOrderIsRefusedBeforeTheStoreIsAsked()
    {
        // A tenant without a child: any statement would fail with "no child database".
        var database = Databases.Open(TenantIds.New());

        await Assert.ThrowsAsync<ArgumentException>(() => database.CreateOrderAsync(" ", [new("p", 1)], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => database.CreateOrderAsync("Order", [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => database.ListProductsAsync(0, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => database.ListOrdersAsync(0, null, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.CreateOrderAsync("Order", [new("p", 1)], CancellationToken.None));
    }

    /// <summary>A product row written by hand, as another writer would.</summary>
    private const string InsertProductSql =
        "INSERT INTO product (id, name, description, sku, price, quantity, backordered_limit, created_at, updated_at) " +
        "VALUES (@id, 'Held', NULL, @sku, 1, 1, 0, now(), now())";

    /// <summary>A change of the product by another writer: a new name and a new version.</summary>
    private const string TouchProductSql = "UPDATE product SET name = 'Held', updated_at = updated_at + interval '1 second' WHERE id = @id";

    private async Task<string> NewChildWithoutTheFoldedSkuIndexAsync()
    {
        // Schemas made before the unique index on the folded SKU key rely on the SKU lock alone.
        var tenantId = await NewChildAsync();
        var schema = TenantIds.DatabaseName(tenantId);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SET ROLE {schema}; DROP INDEX {schema}.product_sku_folded; RESET ROLE;", connection);
        await command.ExecuteNonQueryAsync();
        return tenantId;
    }

    /// <summary>
    /// Another transaction, as the tenant, runs <paramref name="holder"/> and keeps its locks; then
    /// <paramref name="operation"/> starts. Once the operation waits for that transaction, it commits, and the
    /// operation's result is answered. An operation that finishes while the holder still holds its locks fails the
    /// test: it did not lock what the holder locked.
    /// </summary>
    private async Task<T> AfterWaitingForAsync<T>(string tenantId, (string Sql, (string Name, object Value)[] Parameters)[] holder, Func<Task<T>> operation)
    {
        var schema = TenantIds.DatabaseName(tenantId);
        await using var holding = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await holding.BeginTransactionAsync();
        var holderPid = holding.ProcessID;
        foreach (var (sql, parameters) in (IEnumerable<(string, (string Name, object Value)[])>)[($"SET LOCAL ROLE {schema}; SET LOCAL search_path = {schema}", []), .. holder])
        {
            await using var command = new NpgsqlCommand(sql, holding, transaction);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync();
        }

        var pending = Task.Run(operation);
        await using (var watcher = await fixture.Database.DataSource.OpenConnectionAsync())
        await using (var waiting = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE @holder = ANY(pg_blocking_pids(pid)))", watcher))
        {
            waiting.Parameters.AddWithValue("holder", holderPid);
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!(bool)(await waiting.ExecuteScalarAsync())!)
            {
                Assert.False(pending.IsCompleted, "The operation finished while another transaction held what it should have waited for.");
                Assert.True(DateTime.UtcNow < deadline, "The operation neither finished nor waited for the holder.");
                await Task.Delay(10);
            }
        }

        await transaction.CommitAsync();
        return await pending;
    }
}
