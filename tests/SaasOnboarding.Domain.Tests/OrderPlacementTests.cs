namespace SaasOnboarding.Domain.Tests;

public sealed class OrderPlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static Product Product(string id, long quantity, decimal price = 2.50m, DateTimeOffset? updatedAt = null) =>
        new(id, "Name " + id, "About " + id, "SKU-" + id, price, quantity, 0, Now.AddDays(-1), updatedAt ?? Now.AddDays(-1));

    private static Dictionary<string, Product> Catalog(params Product[] products) =>
        products.ToDictionary(product => product.Id, StringComparer.Ordinal);

    [Fact]
    public void LinesArePricedFromTheirProductsAndTheTotalIsExact()
    {
        var placement = OrderPlacement.Place(
            "o1", "First", [new("a", 3), new("b", 1)], Catalog(Product("a", 10, 0.10m), Product("b", 10, 19.99m)), Now);

        var order = Assert.IsType<Order>(placement.Outcome.Order);
        Assert.Equal(OrderStatus.Processing, order.Status);
        Assert.Equal(Now, order.CreationDate);
        Assert.Equal([0.10m, 19.99m], order.OrderProducts.Select(line => line.Price));
        Assert.Equal(["Name a", "Name b"], order.OrderProducts.Select(line => line.ProductName));
        Assert.Equal(["SKU-a", "SKU-b"], order.OrderProducts.Select(line => line.ProductSku));
        Assert.Equal(20.29m, order.Total);
    }

    [Fact]
    public void LinesNamingOneProductTakeItsStockTogether()
    {
        var placement = OrderPlacement.Place("o1", "Twice", [new("a", 3), new("a", 4)], Catalog(Product("a", 7)), Now);

        Assert.NotNull(placement.Outcome.Order);
        Assert.Equal(2, placement.Outcome.Order!.OrderProducts.Count);
        var taken = Assert.Single(placement.Products);
        Assert.Equal(0, taken.Quantity);
    }

    [Fact]
    public void LinesTogetherBeyondTheStockAreRefusedWithWhatIsAvailable()
    {
        var placement = OrderPlacement.Place("o1", "Twice", [new("a", 3), new("a", 5)], Catalog(Product("a", 7)), Now);

        Assert.Null(placement.Outcome.Order);
        Assert.Equal("a", placement.Outcome.ShortProductId);
        Assert.Equal(7, placement.Outcome.Available);
        Assert.Empty(placement.Products);
    }

    [Fact]
    public void AMissingProductIsReportedBeforeAShortOne()
    {
        var placement = OrderPlacement.Place("o1", "Mixed", [new("a", 99), new("gone", 1)], Catalog(Product("a", 1)), Now);

        Assert.Null(placement.Outcome.Order);
        Assert.Equal("gone", placement.Outcome.MissingProductId);
        Assert.Null(placement.Outcome.ShortProductId);
        Assert.Empty(placement.Products);
    }

    [Fact]
    public void TheFirstShortLineInLineOrderIsTheOneReported()
    {
        var placement = OrderPlacement.Place("o1", "Short", [new("b", 5), new("a", 5)], Catalog(Product("a", 1), Product("b", 2)), Now);

        Assert.Equal("b", placement.Outcome.ShortProductId);
        Assert.Equal(2, placement.Outcome.Available);
    }

    [Fact]
    public void StockIsTakenAndEveryProductTakenFromGetsANewVersionInIdOrder()
    {
        var b = Product("b", 5);
        var a = Product("a", 5);
        var placement = OrderPlacement.Place("o1", "Order", [new("b", 2), new("a", 5)], Catalog(b, a), Now);

        Assert.Equal(["a", "b"], placement.Products.Select(product => product.Id));
        Assert.Equal([0L, 3L], placement.Products.Select(product => product.Quantity));
        Assert.All(placement.Products, product => Assert.Equal(Now, product.UpdatedAt));
        Assert.NotEqual(a.Version, placement.Products[0].Version);
    }

    [Fact]
    public void AProductStampedAfterTheClockStillGetsANewerVersion()
    {
        var ahead = Now.AddSeconds(5);
        var placement = OrderPlacement.Place("o1", "Order", [new("a", 1)], Catalog(Product("a", 5, updatedAt: ahead)), Now);

        Assert.Equal(ahead.AddTicks(TimeSpan.TicksPerMicrosecond), Assert.Single(placement.Products).UpdatedAt);
    }

    [Fact]
    public void NeedsAreGroupedAndInAscendingIdOrder()
    {
        var needs = OrderPlacement.Needs([new("b", 1), new("a", 2), new("b", 3), new("B", 1)]);

        Assert.Equal([new("B", 1), new("a", 2), new ProductQuantity("b", 4)], needs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(DataPlaneLimits.MaxLineQuantity + 1L)]
    public void ALineQuantityOutOfBoundsIsNotAnOrder(long quantity) =>
        Assert.Throws<ArgumentException>(() => OrderPlacement.Check([new("a", (int)Math.Min(quantity, int.MaxValue))]));

    [Fact]
    public void OneLineOutOfBoundsAmongGoodOnesIsNotAnOrder() =>
        Assert.Equal("lines", Assert.Throws<ArgumentException>(() => OrderPlacement.Check([new("a", 1), new("b", 0), new("c", 2)])).ParamName);

    [Fact]
    public void AnOrderWithoutLinesIsNotAnOrder() =>
        Assert.Throws<ArgumentException>(() => OrderPlacement.Place("o1", "Empty", [], Catalog(), Now));
}
