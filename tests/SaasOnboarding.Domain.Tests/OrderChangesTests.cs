namespace SaasOnboarding.Domain.Tests;

public sealed class OrderChangesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string, bool> Moves => new()
    {
        { OrderStatus.Processing, OrderStatus.Shipped, true },
        { OrderStatus.Processing, OrderStatus.Cancelled, true },
        { OrderStatus.Shipped, OrderStatus.Delivered, true },
        { OrderStatus.Shipped, OrderStatus.Cancelled, true },
        { OrderStatus.Processing, OrderStatus.Delivered, false },
        { OrderStatus.Shipped, OrderStatus.Processing, false },
        { OrderStatus.Delivered, OrderStatus.Cancelled, false },
        { OrderStatus.Delivered, OrderStatus.Shipped, false },
        { OrderStatus.Cancelled, OrderStatus.Processing, false },
        { OrderStatus.Cancelled, OrderStatus.Shipped, false },
        { OrderStatus.Delivered, OrderStatus.Delivered, true },
        { OrderStatus.Cancelled, OrderStatus.Cancelled, true },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void StatusMovesOnlyForwardAndDeliveredAndCancelledAreFinal(string from, string to, bool allowed)
    {
        var change = OrderChanges.Update(new OrderHead("Order", from), null, to, null);

        Assert.Equal(allowed, OrderStatus.CanMove(from, to));
        if (allowed)
        {
            Assert.Null(change.Refusal);
            Assert.Equal(to, change.Next.Status);
        }
        else
        {
            Assert.Equal(new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: from), change.Refusal);
        }
    }

    [Theory]
    [InlineData(OrderStatus.Processing, true)]
    [InlineData(OrderStatus.Shipped, true)]
    [InlineData(OrderStatus.Cancelled, false)]
    public void CancellingReturnsTheStockOnce(string from, bool returns) =>
        Assert.Equal(returns, OrderChanges.Update(new OrderHead("Order", from), null, OrderStatus.Cancelled, null).ReturnsStock);

    [Fact]
    public void ARenameKeepsTheStatusAndReturnsNothing()
    {
        var change = OrderChanges.Update(new OrderHead("Old", OrderStatus.Shipped), "New", null, null);

        Assert.Equal(new OrderHead("New", OrderStatus.Shipped), change.Next);
        Assert.False(change.ReturnsStock);
    }

    [Fact]
    public void AStaleVersionIsRefusedBeforeTheMoveIsJudged()
    {
        var current = new OrderHead("Order", OrderStatus.Delivered);

        var change = OrderChanges.Update(current, "New", OrderStatus.Processing, Order.VersionOf(OrderStatus.Shipped, "Order"));

        Assert.Equal(WriteOutcome.PreconditionFailed, change.Refusal!.Outcome);
        Assert.Equal(current, change.Next);
        Assert.False(change.ReturnsStock);
        Assert.Null(OrderChanges.Update(current, "New", null, current.Version).Refusal);
    }

    [Fact]
    public void AnUnknownStatusIsNotAMove() =>
        Assert.Throws<ArgumentException>(() => OrderChanges.Update(new OrderHead("Order", OrderStatus.Processing), null, "lost", null));

    [Theory]
    [InlineData(OrderStatus.Processing, true)]
    [InlineData(OrderStatus.Shipped, false)]
    [InlineData(OrderStatus.Delivered, false)]
    [InlineData(OrderStatus.Cancelled, false)]
    public void DeletingAProcessingOrderAloneReturnsItsStock(string status, bool returns)
    {
        var change = OrderChanges.Delete(new OrderHead("Order", status), null);

        Assert.Null(change.Refusal);
        Assert.Equal(returns, change.ReturnsStock);
    }

    [Fact]
    public void DeletingWithAStaleVersionIsRefusedAndReturnsNothing()
    {
        var current = new OrderHead("Order", OrderStatus.Processing);

        var change = OrderChanges.Delete(current, "shipped:Order");

        Assert.Equal(WriteOutcome.PreconditionFailed, change.Refusal!.Outcome);
        Assert.Equal(current, change.Next);
        Assert.False(change.ReturnsStock);
    }

    [Fact]
    public void ARefusedMoveReturnsNoStockAndChangesNothing()
    {
        var current = new OrderHead("Order", OrderStatus.Delivered);

        var change = OrderChanges.Update(current, "New", OrderStatus.Cancelled, null);

        Assert.Equal(WriteOutcome.TransitionRefused, change.Refusal!.Outcome);
        Assert.Equal(OrderStatus.Delivered, change.Refusal.CurrentStatus);
        Assert.Equal(current, change.Next);
        Assert.False(change.ReturnsStock);
    }

    /// <summary>Entity tags are made from versions: one written by an earlier release must still match after an upgrade.</summary>
    [Fact]
    public void AnOrdersVersionKeepsItsWrittenForm() =>
        Assert.Equal("shipped:Order", new OrderHead("Order", OrderStatus.Shipped).Version);

    [Fact]
    public void ReturnedStockGoesBackToTheProductsThatStillExist()
    {
        var products = new Dictionary<string, Product>
        {
            ["a"] = new("a", "A", null, "A", 1m, 5, 0, Now, Now),
        };

        var returned = Stock.Return([Line("a", 2), Line("gone", 7), Line("a", 3)], products, Now.AddSeconds(1));

        Assert.Null(returned.OverBoundProductId);
        var product = Assert.Single(returned.Products);
        Assert.Equal(10, product.Quantity);
        Assert.Equal(Now.AddSeconds(1), product.UpdatedAt);
    }

    [Fact]
    public void StockReturnedPastItsBoundIsRefusedNamingTheProduct()
    {
        var products = new Dictionary<string, Product>
        {
            ["b"] = new("b", "B", null, "B", 1m, DataPlaneLimits.MaxStock - 1, 0, Now, Now),
            ["c"] = new("c", "C", null, "C", 1m, DataPlaneLimits.MaxStock, 0, Now, Now),
            ["a"] = new("a", "A", null, "A", 1m, 0, 0, Now, Now),
        };

        var returned = Stock.Return([Line("c", 1), Line("b", 1), Line("b", 1), Line("a", 1)], products, Now);

        Assert.Equal("b", returned.OverBoundProductId);
        Assert.Empty(returned.Products);
    }

    [Fact]
    public void StockReturnedUpToItsBoundIsAllowed() =>
        Assert.Null(Stock.Return(
            [Line("a", 1)],
            new Dictionary<string, Product> { ["a"] = new("a", "A", null, "A", 1m, DataPlaneLimits.MaxStock - 1, 0, Now, Now) },
            Now).OverBoundProductId);

    private static OrderLine Line(string productId, int quantity) => new(productId, "name", "sku", null, quantity, 1m);
}
