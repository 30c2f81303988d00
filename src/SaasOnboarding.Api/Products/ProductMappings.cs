namespace SaasOnboarding.Api.Products;

public static class ProductMappings
{
    public static ProductResponse ToResponse(this Product product) => new(
        product.Id,
        product.Name,
        product.Description,
        product.Sku,
        product.Price,
        product.Quantity,
        product.BackorderedLimit,
        product.Backordered,
        product.CreatedAt,
        product.UpdatedAt);
}
