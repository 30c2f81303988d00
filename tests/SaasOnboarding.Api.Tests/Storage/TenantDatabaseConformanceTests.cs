using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Storage;

/// <summary>
/// What every child-database adapter must do with products and orders. An adapter's test class derives from
/// this one and says how to reach a fresh store.
/// </summary>
public abstract class TenantDatabaseConformanceTests : IAsyncLifetime
{
    private readonly List<string> _tenants = [];

    protected ITenantDatabases Databases { get; private set; } = null!;

    /// <summary>A store with no tenants of this test in it yet.</summary>
    protected abstract Task<ITenantDatabases> CreateDatabasesAsync();

    protected virtual Task DisposeDatabasesAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Databases = await CreateDatabasesAsync();

    public async Task DisposeAsync()
    {
        foreach (var tenantId in _tenants)
        {
            await Databases.DeleteAsync(tenantId, CancellationToken.None);
        }

        await DisposeDatabasesAsync();
    }

    protected async Task<ITenantDatabase> NewTenantAsync()
    {
        var tenantId = TenantIds.New();
        await Databases.CreateAsync(tenantId, CancellationToken.None);
        _tenants.Add(tenantId);
        return Databases.Open(tenantId);
    }

    protected static async Task<Product> StockAsync(ITenantDatabase database, string sku, decimal price, int quantity, int backorderedLimit = 0)
    {
        var write = await database.CreateProductAsync(
            new ProductDraft("Product " + sku, "About " + sku, sku, price, quantity, backorderedLimit), CancellationToken.None);
        Assert.Equal(WriteOutcome.Done, write.Outcome);
        return write.Product!;
    }

    private static async Task<int> QuantityOf(ITenantDatabase database, string productId) =>
        (await database.GetProductAsync(productId, CancellationToken.None))!.Quantity;

    private static async Task<List<T>> ReadAllAsync<T>(Func<string?, Task<Page<T>>> list, List<int>? pageSizes = null)
    {
        var items = new List<T>();
        string? token = null;
        do
        {
            var page = await list(token);
            pageSizes?.Add(page.Items.Count);
            items.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null);
        return items;
    }

    [Fact]
    public async Task A_product_reads_back_with_exact_price_and_computed_backordered_flag()
    {
        var database = await NewTenantAsync();
        var created = await StockAsync(database, "SKU-1", 10.50m, quantity: 2, backorderedLimit: 3);

        var read = await database.GetProductAsync(created.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(10.50m, read.Price);
        Assert.Equal("10.50", read.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("SKU-1", read.Sku);
        Assert.Equal("About SKU-1", read.Description);
        Assert.True(read.Backordered);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public async Task A_duplicate_sku_conflicts_on_create_and_on_update()
    {
        var database = await NewTenantAsync();
        await StockAsync(database, "TAKEN", 1m, 1);
        var other = await StockAsync(database, "OTHER", 2m, 1);

        var duplicate = await database.CreateProductAsync(new ProductDraft("Again", null, "TAKEN", 3m, 1, 0), CancellationToken.None);
        var rename = await database.UpdateProductAsync(other.Id, new ProductDraft("Other", null, "TAKEN", 2m, 1, 0), CancellationToken.None);
        var keepOwn = await database.UpdateProductAsync(other.Id, new ProductDraft("Other v2", null, "OTHER", 2.25m, 4, 0), CancellationToken.None);

        Assert.Equal(WriteOutcome.Conflict, duplicate.Outcome);
        Assert.Equal(WriteOutcome.Conflict, rename.Outcome);
        Assert.Equal(WriteOutcome.Done, keepOwn.Outcome);
        Assert.Equal(2.25m, keepOwn.Product!.Price);
        Assert.Equal(2, (await ReadAllAsync(token => database.ListProductsAsync(10, token, CancellationToken.None))).Count);
    }

    [Fact]
    public async Task The_same_sku_may_exist_in_two_tenants()
    {
        var tenantA = await NewTenantAsync();
        var tenantB = await NewTenantAsync();

        await StockAsync(tenantA, "SHARED", 1m, 1);
        var inB = await tenantB.CreateProductAsync(new ProductDraft("B's", null, "SHARED", 1m, 1, 0), CancellationToken.None);

        Assert.Equal(WriteOutcome.Done, inB.Outcome);
    }

    [Fact]
    public async Task Updating_or_deleting_a_missing_product_reports_not_found()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "GONE", 1m, 1);

        Assert.True(await database.DeleteProductAsync(product.Id, CancellationToken.None));
        Assert.False(await database.DeleteProductAsync(product.Id, CancellationToken.None));
        Assert.Null(await database.GetProductAsync(product.Id, CancellationToken.None));
        var update = await database.UpdateProductAsync(product.Id, new ProductDraft("X", null, "GONE", 1m, 1, 0), CancellationToken.None);
        Assert.Equal(WriteOutcome.NotFound, update.Outcome);
    }

    [Fact]
    public async Task Creating_an_order_prices_lines_from_the_products_and_takes_their_stock()
    {
        var database = await NewTenantAsync();
        var widget = await StockAsync(database, "W", 10.25m, quantity: 5);
        var gadget = await StockAsync(database, "G", 0.10m, quantity: 3);

        var creation = await database.CreateOrderAsync(
            "First order",
            [new OrderLineRequest(widget.Id, 2), new OrderLineRequest(gadget.Id, 3)],
            CancellationToken.None);

        var order = Assert.IsType<Order>(creation.Order);
        Assert.Equal(OrderStatus.Processing, order.Status);
        Assert.Equal(20.80m, order.Total);
        Assert.Collection(
            order.OrderProducts,
            line => Assert.Equal((widget.Id, "Product W", "W", "About W", 2, 10.25m), (line.ProductId, line.ProductName, line.ProductSku, line.ProductDescription, line.Quantity, line.Price)),
            line => Assert.Equal((gadget.Id, 3, 0.10m), (line.ProductId, line.Quantity, line.Price)));
        Assert.Equal(3, await QuantityOf(database, widget.Id));
        Assert.Equal(0, await QuantityOf(database, gadget.Id));
        Assert.Equal(order, await database.GetOrderAsync(order.Id, CancellationToken.None), OrderComparer.Instance);
    }

    [Fact]
    public async Task An_order_keeps_the_price_it_was_placed_at_when_the_product_changes_or_goes()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "P", 4.00m, quantity: 5);
        var order = (await database.CreateOrderAsync("Order", [new OrderLineRequest(product.Id, 1)], CancellationToken.None)).Order!;

        await database.UpdateProductAsync(product.Id, new ProductDraft("Renamed", null, "P2", 9.99m, 5, 0), CancellationToken.None);
        var afterUpdate = await database.GetOrderAsync(order.Id, CancellationToken.None);
        await database.DeleteProductAsync(product.Id, CancellationToken.None);
        var afterDelete = await database.GetOrderAsync(order.Id, CancellationToken.None);

        Assert.Equal(4.00m, afterUpdate!.Total);
        Assert.Equal("Product P", afterUpdate.OrderProducts[0].ProductName);
        Assert.Equal(4.00m, afterDelete!.OrderProducts[0].Price);
    }

    [Fact]
    public async Task An_order_over_stock_fails_names_the_product_and_changes_nothing()
    {
        var database = await NewTenantAsync();
        var plenty = await StockAsync(database, "PLENTY", 1m, quantity: 10);
        var scarce = await StockAsync(database, "SCARCE", 1m, quantity: 1);

        var creation = await database.CreateOrderAsync(
            "Too much",
            [new OrderLineRequest(plenty.Id, 4), new OrderLineRequest(scarce.Id, 2)],
            CancellationToken.None);

        Assert.Null(creation.Order);
        Assert.Equal(scarce.Id, creation.ShortProductId);
        Assert.Equal(1, creation.Available);
        Assert.Equal(10, await QuantityOf(database, plenty.Id));
        Assert.Equal(1, await QuantityOf(database, scarce.Id));
        Assert.Empty((await database.ListOrdersAsync(10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task An_order_for_a_missing_product_fails_and_changes_nothing()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "REAL", 1m, quantity: 3);
        var missing = Guid.NewGuid().ToString("N");

        var creation = await database.CreateOrderAsync(
            "Ghost", [new OrderLineRequest(product.Id, 1), new OrderLineRequest(missing, 1)], CancellationToken.None);

        Assert.Null(creation.Order);
        Assert.Equal(missing, creation.MissingProductId);
        Assert.Equal(3, await QuantityOf(database, product.Id));
        Assert.Empty((await database.ListOrdersAsync(10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Two_lines_for_one_product_are_checked_against_its_stock_together()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "TWICE", 1.50m, quantity: 3);

        var tooMuch = await database.CreateOrderAsync(
            "Split", [new OrderLineRequest(product.Id, 2), new OrderLineRequest(product.Id, 2)], CancellationToken.None);
        Assert.Null(tooMuch.Order);
        Assert.Equal(product.Id, tooMuch.ShortProductId);
        Assert.Equal(3, tooMuch.Available);
        Assert.Equal(3, await QuantityOf(database, product.Id));

        var exact = await database.CreateOrderAsync(
            "Split", [new OrderLineRequest(product.Id, 1), new OrderLineRequest(product.Id, 2)], CancellationToken.None);
        Assert.Equal(4.50m, exact.Order!.Total);
        Assert.Equal(2, exact.Order.OrderProducts.Count);
        Assert.Equal(0, await QuantityOf(database, product.Id));
    }

    [Fact]
    public async Task Parallel_orders_for_scarce_stock_sell_exactly_the_stock_and_never_below_zero()
    {
        const int stock = 5;
        const int buyers = 20;
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "HOT", 2.00m, quantity: stock);

        // Dedicated threads released together, so the orders really overlap on a two-core machine.
        using var start = new Barrier(buyers);
        var attempts = Enumerable.Range(0, buyers)
            .Select(buyer => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return database.CreateOrderAsync($"Buyer {buyer}", [new OrderLineRequest(product.Id, 1)], CancellationToken.None).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToList();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(stock, results.Count(result => result.Order is not null));
        Assert.All(results.Where(result => result.Order is null), result =>
        {
            Assert.Equal(product.Id, result.ShortProductId);
            Assert.Equal(0, result.Available);
        });
        Assert.Equal(0, await QuantityOf(database, product.Id));
        Assert.Equal(stock, (await ReadAllAsync(token => database.ListOrdersAsync(100, token, CancellationToken.None))).Count);
    }

    [Fact]
    public async Task Cancelling_an_order_returns_its_stock_once()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "C", 1m, quantity: 5);
        var order = (await database.CreateOrderAsync("Order", [new OrderLineRequest(product.Id, 2), new OrderLineRequest(product.Id, 1)], CancellationToken.None)).Order!;
        Assert.Equal(2, await QuantityOf(database, product.Id));

        var cancelled = await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, CancellationToken.None);
        var again = await database.UpdateOrderAsync(order.Id, "Renamed", OrderStatus.Cancelled, CancellationToken.None);

        Assert.Equal(OrderStatus.Cancelled, cancelled!.Status);
        Assert.Equal(OrderStatus.Cancelled, again!.Status);
        Assert.Equal("Renamed", again.OrderName);
        Assert.Equal(5, await QuantityOf(database, product.Id));
    }

    [Fact]
    public async Task A_cancelled_order_stays_cancelled_and_a_refused_change_changes_nothing()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "C", 1m, quantity: 5);
        var order = (await database.CreateOrderAsync("Order", [new OrderLineRequest(product.Id, 2)], CancellationToken.None)).Order!;
        await database.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, CancellationToken.None);

        var revived = await database.UpdateOrderAsync(order.Id, "Revived", OrderStatus.Processing, CancellationToken.None);

        Assert.Equal(OrderStatus.Cancelled, revived!.Status);
        Assert.Equal("Order", revived.OrderName);
        Assert.Equal(5, await QuantityOf(database, product.Id));
    }

    [Fact]
    public async Task Status_and_name_updates_of_a_live_order_keep_the_stock_taken()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "S", 1m, quantity: 5);
        var order = (await database.CreateOrderAsync("Order", [new OrderLineRequest(product.Id, 2)], CancellationToken.None)).Order!;

        var shipped = await database.UpdateOrderAsync(order.Id, "Shipped order", OrderStatus.Shipped, CancellationToken.None);
        var renamed = await database.UpdateOrderAsync(order.Id, "Renamed only", null, CancellationToken.None);

        Assert.Equal((OrderStatus.Shipped, "Shipped order"), (shipped!.Status, shipped.OrderName));
        Assert.Equal((OrderStatus.Shipped, "Renamed only"), (renamed!.Status, renamed.OrderName));
        Assert.Equal(3, await QuantityOf(database, product.Id));
        Assert.Null(await database.UpdateOrderAsync(Guid.NewGuid().ToString("N"), "Nobody", null, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_processing_order_returns_its_stock_but_deleting_a_shipped_one_does_not()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "D", 1m, quantity: 10);
        var processing = (await database.CreateOrderAsync("Processing", [new OrderLineRequest(product.Id, 3)], CancellationToken.None)).Order!;
        var shipped = (await database.CreateOrderAsync("Shipped", [new OrderLineRequest(product.Id, 4)], CancellationToken.None)).Order!;
        await database.UpdateOrderAsync(shipped.Id, null, OrderStatus.Shipped, CancellationToken.None);
        Assert.Equal(3, await QuantityOf(database, product.Id));

        Assert.True(await database.DeleteOrderAsync(processing.Id, CancellationToken.None));
        Assert.Equal(6, await QuantityOf(database, product.Id));
        Assert.True(await database.DeleteOrderAsync(shipped.Id, CancellationToken.None));
        Assert.Equal(6, await QuantityOf(database, product.Id));

        Assert.False(await database.DeleteOrderAsync(processing.Id, CancellationToken.None));
        Assert.Null(await database.GetOrderAsync(processing.Id, CancellationToken.None));
        Assert.Empty((await database.ListOrdersAsync(10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Product_listing_pages_through_every_product_exactly_once()
    {
        var database = await NewTenantAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await StockAsync(database, $"PAGE-{i}", i, i)).Id);
        }

        var pageSizes = new List<int>();
        var listed = await ReadAllAsync(token => database.ListProductsAsync(3, token, CancellationToken.None), pageSizes);

        Assert.Equal([3, 3, 1], pageSizes);
        Assert.Equal(created, listed.Select(product => product.Id));
    }

    [Fact]
    public async Task Order_listing_pages_through_every_order_exactly_once_with_its_lines()
    {
        var database = await NewTenantAsync();
        var product = await StockAsync(database, "O", 1.25m, quantity: 100);
        var created = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            created.Add((await database.CreateOrderAsync($"Order {i}", [new OrderLineRequest(product.Id, i)], CancellationToken.None)).Order!.Id);
        }

        var pageSizes = new List<int>();
        var listed = await ReadAllAsync(token => database.ListOrdersAsync(2, token, CancellationToken.None), pageSizes);

        Assert.Equal([2, 2, 1], pageSizes);
        Assert.Equal(created, listed.Select(order => order.Id));
        Assert.Equal([1.25m, 2.50m, 3.75m, 5.00m, 6.25m], listed.Select(order => order.Total));
    }

    [Fact]
    public async Task A_page_token_that_was_not_issued_is_refused()
    {
        var database = await NewTenantAsync();

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListProductsAsync(5, "not-a-token", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => database.ListOrdersAsync(5, PageTokens.Encode("only-one-key"), CancellationToken.None));
    }

    [Fact]
    public async Task One_tenants_products_and_orders_are_invisible_to_another()
    {
        var tenantA = await NewTenantAsync();
        var tenantB = await NewTenantAsync();
        var product = await StockAsync(tenantA, "A-ONLY", 1m, quantity: 5);
        var order = (await tenantA.CreateOrderAsync("A's order", [new OrderLineRequest(product.Id, 1)], CancellationToken.None)).Order!;

        Assert.Null(await tenantB.GetProductAsync(product.Id, CancellationToken.None));
        Assert.Null(await tenantB.GetOrderAsync(order.Id, CancellationToken.None));
        Assert.Empty((await tenantB.ListProductsAsync(100, null, CancellationToken.None)).Items);
        Assert.Empty((await tenantB.ListOrdersAsync(100, null, CancellationToken.None)).Items);
        Assert.Equal(product.Id, (await tenantB.CreateOrderAsync("Steal", [new OrderLineRequest(product.Id, 1)], CancellationToken.None)).MissingProductId);
        Assert.False(await tenantB.DeleteProductAsync(product.Id, CancellationToken.None));
        Assert.False(await tenantB.DeleteOrderAsync(order.Id, CancellationToken.None));
        Assert.Null(await tenantB.UpdateOrderAsync(order.Id, null, OrderStatus.Cancelled, CancellationToken.None));
        Assert.Equal(4, await QuantityOf(tenantA, product.Id));
        Assert.Equal(OrderStatus.Processing, (await tenantA.GetOrderAsync(order.Id, CancellationToken.None))!.Status);
    }

    /// <summary>Orders hold a list, so record equality alone compares the lists by reference.</summary>
    private sealed class OrderComparer : IEqualityComparer<Order?>
    {
        public static readonly OrderComparer Instance = new();

        public bool Equals(Order? x, Order? y) =>
            x is not null && y is not null
            && (x.Id, x.OrderName, x.CreationDate, x.Status) == (y.Id, y.OrderName, y.CreationDate, y.Status)
            && x.OrderProducts.SequenceEqual(y.OrderProducts);

        public int GetHashCode(Order? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
