using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Products;

/// <summary>
/// The workshop's product service, in the caller's own child database. Handlers take the scoped
/// <see cref="ITenantDatabase"/>, which middleware bound to the token's tenant: no handler takes a tenant id.
/// </summary>
public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty).WithTags("Products").RequireRateLimiting(RateLimits.Tenant);

        group.MapGet("/products", ListProducts)
            .WithName(nameof(ListProducts))
            .RequireAuthorization(Policies.TenantUser)
            .WithSummary("List the tenant's products")
            .WithDescription("Pages in creation order. Pass the returned nextToken to get the next page; it is null on the last page.");
        group.MapPost("/product", CreateProduct)
            .WithName(nameof(CreateProduct))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Create a product (TenantAdmin)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/product/{id}", GetProduct)
            .WithName(nameof(GetProduct))
            .RequireAuthorization(Policies.TenantUser)
            .WithSummary("Read a product")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/product/{id}", UpdateProduct)
            .WithName(nameof(UpdateProduct))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace a product's fields (TenantAdmin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/product/{id}", DeleteProduct)
            .WithName(nameof(DeleteProduct))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Delete a product (TenantAdmin)")
            .WithDescription("Orders already placed keep their copy of the product's name, SKU, description and price.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<ProductResponse>>, ValidationProblem>> ListProducts(
        ITenantDatabase database, CancellationToken cancellationToken, int? limit = null, string? nextToken = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await database.ListProductsAsync(take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<ProductResponse>([.. page.Items.Select(product => product.ToResponse())], page.NextToken));
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> GetProduct(
        string id, ITenantDatabase database, CancellationToken cancellationToken) =>
        await database.GetProductAsync(id, cancellationToken) is { } product
            ? TypedResults.Ok(product.ToResponse())
            : ProductNotFound(id);

    public static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        ProductRequest request, ITenantDatabase database, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var write = await database.CreateProductAsync(draft, cancellationToken);
        return write.Outcome == WriteOutcome.Done
            ? TypedResults.Created($"/product/{write.Product!.Id}", write.Product.ToResponse())
            : SkuTaken(draft.Sku);
    }

    public static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> UpdateProduct(
        string id, ProductRequest request, ITenantDatabase database, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var write = await database.UpdateProductAsync(id, draft, cancellationToken);
        return write.Outcome switch
        {
            WriteOutcome.Done => TypedResults.Ok(write.Product!.ToResponse()),
            WriteOutcome.Conflict => SkuTaken(draft.Sku),
            _ => ProductNotFound(id),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteProduct(
        string id, ITenantDatabase database, CancellationToken cancellationToken) =>
        await database.DeleteProductAsync(id, cancellationToken) ? TypedResults.NoContent() : ProductNotFound(id);

    /// <summary>Also the answer for another tenant's product: its id means nothing in this tenant's database.</summary>
    internal static ProblemHttpResult ProductNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Product not found",
        detail: $"There is no product '{id}' in this tenant.",
        extensions: new Dictionary<string, object?> { ["productId"] = id });

    private static ProblemHttpResult SkuTaken(string sku) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "SKU already in use",
        detail: $"Another product of this tenant has the SKU '{sku}'.",
        extensions: new Dictionary<string, object?> { ["sku"] = sku });
}
