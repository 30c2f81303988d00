using SaasOnboarding.Api.Orders;

namespace SaasOnboarding.Api.Tests.Orders;

public sealed class OrderRequestTests
{
    [Fact]
    public void A_valid_order_keeps_its_lines_in_order()
    {
        var request = new OrderRequest(" Mine ", [new OrderLineInput("p1", 2), new OrderLineInput("p2", 1)]);

        var errors = request.Validate(out var name, out var lines);

        Assert.Empty(errors);
        Assert.Equal("Mine", name);
        Assert.Equal([("p1", 2), ("p2", 1)], lines.Select(line => (line.ProductId, line.Quantity)));
    }

    [Fact]
    public void An_order_without_lines_is_refused()
    {
        Assert.Equal(["orderProducts"], new OrderRequest("Empty", []).Validate(out _, out _).Keys);
        Assert.Equal(["orderName", "orderProducts"], new OrderRequest(null, null).Validate(out _, out _).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_bad_line_is_named_by_its_index()
    {
        var request = new OrderRequest("Bad", [new OrderLineInput("p1", 1), new OrderLineInput("p2", 0), new OrderLineInput(null, 1), null]);

        var errors = request.Validate(out _, out _);

        Assert.Equal(
            ["orderProducts[1].quantity", "orderProducts[2].productId", "orderProducts[3].productId", "orderProducts[3].quantity"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_update_needs_a_known_status_or_a_name()
    {
        Assert.Equal(["orderName"], new OrderUpdateRequest(null, null).Validate(out _, out _).Keys);
        Assert.Equal(["orderStatus"], new OrderUpdateRequest(null, "lost").Validate(out _, out _).Keys);

        Assert.Empty(new OrderUpdateRequest(null, "Shipped").Validate(out var name, out var status));
        Assert.Equal((null, "shipped"), (name, status));
    }
}
