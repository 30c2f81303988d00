using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Products;

namespace SaasOnboarding.Api.Tests.Products;

public sealed class ProductRequestTests
{
    private static readonly ProductRequest Valid = new("  Widget ", " W-1 ", 10.50m, 3, "A widget", 5);

    [Fact]
    public void ACompleteRequestBecomesATrimmedDraft()
    {
        var errors = new FieldErrors();

        var draft = Valid.Check(errors);

        Assert.True(errors.IsValid);
        Assert.Equal(("Widget", "W-1", 10.50m, 3, 5), (draft!.Name, draft.Sku, draft.Price, draft.Quantity, draft.BackorderedLimit));
    }

    [Fact]
    public void AMissingBackorderedLimitDefaultsToZeroAndABlankDescriptionToNone()
    {
        var draft = (Valid with { BackorderedLimit = null, Description = "  " }).Check(new FieldErrors());

        Assert.Equal(0, draft!.BackorderedLimit);
        Assert.Null(draft.Description);
    }

    [Fact]
    public void MissingRequiredFieldsAreEachNamed()
    {
        var errors = new FieldErrors();

        Assert.Null(new ProductRequest(null, null, null, null).Check(errors));
        Assert.Equal(["name", "price", "quantity", "sku"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("10.001")]
    [InlineData("-0.01")]
    [InlineData("1000000000.01")]
    public void APriceThatIsNegativeTooLargeOrFinerThanACentIsRefused(string price)
    {
        var errors = new FieldErrors();

        Assert.Null((Valid with { Price = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture) }).Check(errors));
        Assert.Equal(["price"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void NegativeQuantityAndBackorderedLimitAreRefused()
    {
        var errors = new FieldErrors();

        Assert.Null((Valid with { Quantity = -1, BackorderedLimit = -1 }).Check(errors));
        Assert.Equal(["backorderedLimit", "quantity"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }
}
