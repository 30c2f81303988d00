using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Orders;

namespace SaasOnboarding.Api.Tests.Orders;

public sealed class OrderRequestTests
{
    private static string[] Fields(FieldErrors errors) => [.. errors.ToDictionary().Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void AValidOrderKeepsItsLinesInOrderAndDropsAnyClientPrice()
    {
        var request = new OrderRequest(" Mine ", [new OrderLineInput("p1", 2, Price: 0.01m), new OrderLineInput("p2", 1)]);

        var (name, lines) = request.Check(new FieldErrors())!.Value;

        Assert.Equal("Mine", name);
        Assert.Equal([("p1", 2), ("p2", 1)], lines.Select(line => (line.ProductId, line.Quantity)));
    }

    [Fact]
    public void AnOrderWithoutANameOrLinesIsRefused()
    {
        var empty = new FieldErrors();
        var nothing = new FieldErrors();

        Assert.Null(new OrderRequest("Empty", []).Check(empty));
        Assert.Null(new OrderRequest(null, null).Check(nothing));

        Assert.Equal(["orderProducts"], Fields(empty));
        Assert.Equal(["orderName", "orderProducts"], Fields(nothing));
    }

    [Fact]
    public void EachBadLineIsNamedByItsIndex()
    {
        var errors = new FieldErrors();
        var request = new OrderRequest("Bad", [new OrderLineInput("p1", 1), new OrderLineInput("p2", 0), new OrderLineInput(null, 1), null]);

        Assert.Null(request.Check(errors));
        Assert.Equal(
            ["orderProducts[1].quantity", "orderProducts[2].productId", "orderProducts[3].productId", "orderProducts[3].quantity"],
            Fields(errors));
    }

    [Fact]
    public void AnUpdateNeedsAKnownStatusOrAName()
    {
        var neither = new FieldErrors();
        var unknown = new FieldErrors();
        var blank = new FieldErrors();

        Assert.Null(new OrderUpdateRequest(null, null).Check(neither));
        Assert.Null(new OrderUpdateRequest(null, "lost").Check(unknown));
        Assert.Null(new OrderUpdateRequest("  ", null).Check(blank));
        Assert.Equal(["orderStatus"], Fields(neither));
        Assert.Equal(["orderStatus"], Fields(unknown));
        Assert.Equal(["orderName"], Fields(blank));

        Assert.Equal((null, "shipped", null), new OrderUpdateRequest(null, "Shipped").Check(new FieldErrors()));
    }
}
