namespace SaasOnboarding.Domain.Tests;

public sealed class ProductRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", null)]
    [InlineData("19.99", null)]
    [InlineData("1000000000", null)]
    [InlineData("1000000000.01", "Must be between 0 and 1000000000.")]
    [InlineData("-0.01", "Must be between 0 and 1000000000.")]
    [InlineData("0.001", "At most two decimal places.")]
    public void PricesAreExactToTheCentAndBounded(string price, string? problem) =>
        Assert.Equal(problem, DataPlaneLimits.PriceProblem(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(0L, true)]
    [InlineData(DataPlaneLimits.MaxStock, true)]
    [InlineData(-1L, false)]
    [InlineData(DataPlaneLimits.MaxStock + 1L, false)]
    public void StockFiguresAreBounded(long value, bool allowed) =>
        Assert.Equal(allowed ? null : "Must be between 0 and 1000000000.", DataPlaneLimits.StockProblem(value));

    [Theory]
    [InlineData(1L, true)]
    [InlineData(DataPlaneLimits.MaxLineQuantity, true)]
    [InlineData(0L, false)]
    [InlineData(DataPlaneLimits.MaxLineQuantity + 1L, false)]
    public void LineQuantitiesAreBounded(long value, bool allowed) =>
        Assert.Equal(allowed ? null : "Must be between 1 and 1000000000.", DataPlaneLimits.LineQuantityProblem(value));

    [Theory]
    [InlineData("ABC-1", "abc-1", true)]
    [InlineData("Straße", "STRASSE", false)]
    [InlineData("ÀB", "àb", false)]
    [InlineData("İ", "i", false)]
    [InlineData("A1", "A2", false)]
    public void SkusAreOneIgnoringTheCaseOfAsciiLettersOnly(string left, string right, bool same)
    {
        Assert.Equal(same, Skus.Same(left, right));
        Assert.Equal(same, Skus.Key(left) == Skus.Key(right));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0.01", 1L)]
    [InlineData("10.5", 1050L)]
    [InlineData("19.99", 1999L)]
    [InlineData("92233720368547758.07", long.MaxValue)]
    public void PricesConvertToCentsExactly(string price, long cents)
    {
        var value = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(cents, Cents.Of(value));
        Assert.Equal(value, Cents.ToPrice(cents));
        Assert.Equal("10.50", Cents.ToPrice(1050).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("-0.01")]
    public void PricesThatAreNegativeOrFinerThanACentAreRefused(string price) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Cents.Of(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void EveryRevisionChangesTheVersionEvenWhenTheClockStandsStill()
    {
        var draft = new ProductDraft("Pen", null, "PEN-1", 1m, 5, 1);
        var created = Product.Create("p1", draft, Now.AddTicks(7));

        var revised = created.Revise(draft with { Quantity = 0 }, Now);

        Assert.Equal(Now, created.CreatedAt);
        Assert.Equal(Now.AddTicks(TimeSpan.TicksPerMicrosecond), revised.UpdatedAt);
        Assert.NotEqual(created.Version, revised.Version);
        Assert.True(revised.Backordered);
        Assert.False(created.Backordered);
    }

    [Theory]
    [InlineData(4, 5, true)]
    [InlineData(5, 5, false)]
    [InlineData(6, 5, false)]
    public void AProductIsBackorderedOnlyBelowItsLimit(int quantity, int limit, bool backordered) =>
        Assert.Equal(backordered, Product.Create("p1", new ProductDraft("Pen", null, "PEN-1", 1m, quantity, limit), Now).Backordered);

    [Fact]
    public void AWriteMayGoAheadOnlyOnTheExpectedVersion()
    {
        var product = Product.Create("p1", new ProductDraft("Pen", null, "PEN-1", 1m, 5, 0), Now);

        Assert.True(product.IsVersion(null));
        Assert.True(product.IsVersion(product.Version));
        Assert.False(product.IsVersion(StoredTime.Format(Now.AddSeconds(-1))));
    }
}
