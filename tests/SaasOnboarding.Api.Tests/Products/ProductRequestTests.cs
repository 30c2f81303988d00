using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Products;

namespace SaasOnboarding.Api.Tests.Products;

public sealed class ProductRequestTests
{
    private static readonly ProductRequest Valid = new("  Widget ", " W-1 ", 10.50m, 3, "A widget", 5);

    [Fact]
    public void A_complete_request_becomes_a_trimmed_draft()
    {
        var errors = new FieldErrors();

        var draft = Valid.Check(errors);

        Assert.True(errors.IsValid);
        Assert.Equal(("Widget", "W-1", 10.50m, 3, 5), (draft!.Name, draft.Sku, draft.Price, draft.Quantity, draft.BackorderedLimit));
    }

    [Fact]
    public void A_missing_backordered_limit_defaults_to_zero_and_a_blank_description_to_none()
    {
        var draft = (Valid with { BackorderedLimit = null, Description = "  " }).Check(new FieldErrors());

        Assert.Equal(0, draft!.BackorderedLimit);
        Assert.Null(draft.Description);
    }

    [Fact]
    public void Missing_required_fields_are_each_named()
    {
        var errors = new FieldErrors();

        Assert.Null(new ProductRequest(null, null, null, null).Check(errors));
        Assert.Equal(["name", "price", "quantity", "sku"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("10.001")]
    [InlineData("-0.01")]
    [InlineData("1000000000.01")]
    public void A_price_that_is_negative_too_large_or_finer_than_a_cent_is_refused(string price)
    {
        var errors = new FieldErrors();

        Assert.Null((Valid with { Price = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture) }).Check(errors));
        Assert.Equal(["price"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Negative_quantity_and_backordered_limit_are_refused()
    {
        var errors = new FieldErrors();

        Assert.Null((Valid with { Quantity = -1, BackorderedLimit = -1 }).Check(errors));
        Assert.Equal(["backorderedLimit", "quantity"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }
}
