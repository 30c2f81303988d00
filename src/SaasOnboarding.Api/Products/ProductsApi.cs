using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Products;

/// <summary>
/// The workshop's product service, in the caller's own child database. Handlers take the scoped
/// <see cref="ITenantDatabase"/>, which middleware bound to the token's tenant: no handler takes a tenant id.
/// </summary>
public static class ProductsApi
{
    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        // Any user of the tenant; writing the catalogue also needs its admin.
        var group = routes.MapGroup(string.Empty).WithTags("Products").RequireAuthorization(Policies.TenantUser).RequireRateLimiting(RateLimits.Tenant);
        TenantReads.Mark(group);

        group.MapGet("/products", ListProducts)
            .WithName(nameof(ListProducts))
            .WithSummary("List the tenant's products: `search` by a part of the name or SKU")
            .WithDescription(
                "Pages in creation order, oldest first. `search` matches a part of the name or the SKU, ignoring case. Pass the returned "
                + "nextToken to get the next page; it is null on the last page. A `nextToken` is valid only with the search it was issued for; "
                + "any other answers 400 naming `nextToken`.");
        group.MapPost("/product", CreateProduct)
            .WithName(nameof(CreateProduct))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Create a product (TenantAdmin)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/product/{id}", GetProduct)
            .WithName(nameof(GetProduct))
            .WithSummary("Read a product")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/product/{id}", UpdateProduct)
            .WithName(nameof(UpdateProduct))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Replace a product's fields (TenantAdmin)")
            .WithDescription("Answers the new ETag. With If-Match, a tag that is no longer current answers 412 and changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/product/{id}", DeleteProduct)
            .WithName(nameof(DeleteProduct))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Delete a product (TenantAdmin)")
            .WithDescription("Orders already placed keep their copy of the product's name, SKU, description and price. With If-Match, a tag that is no longer current answers 412 and deletes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<ProductResponse>>, ValidationProblem>> ListProducts(
        ITenantDatabase database, CancellationToken cancellationToken, int? limit = null, string? nextToken = null, string? search = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        var text = errors.Text("search", search, required: false, Paging.MaxSearchLength);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await database.ListProductsAsync(new ProductQuery(text), take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<ProductResponse>([.. page.Items.Select(product => product.ToResponse())], page.NextToken));
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> GetProduct(
        string id, ITenantDatabase database, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await database.GetProductAsync(id, cancellationToken) is not { } product)
        {
            return ProductNotFound(id);
        }

        Preconditions.SetETag(response, Preconditions.ETagOf(product.Version));
        return TypedResults.Ok(product.ToResponse());
    }

    public static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        ProductRequest request, ITenantDatabase database, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var write = await database.CreateProductAsync(draft, cancellationToken);
        if (write.Outcome != WriteOutcome.Done)
        {
            return SkuTaken(draft.Sku);
        }

        Preconditions.SetETag(response, Preconditions.ETagOf(write.Product!.Version));
        return TypedResults.Created(ResourceLinks.PathTo(response.HttpContext, nameof(GetProduct), new() { ["id"] = write.Product.Id }), write.Product.ToResponse());
    }

    /// <summary>With <c>If-Match</c>, the write happens only if the product is still the one the tag was made from (else 412).</summary>
    public static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> UpdateProduct(
        string id, ProductRequest request, ITenantDatabase database, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not { } draft)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var precondition = await IfMatchVersions.DecideAsync(
            context.Request, async () => (await database.GetProductAsync(id, cancellationToken))?.Version);
        if (precondition.IsMissing)
        {
            return ProductNotFound(id);
        }

        if (precondition.IsStale)
        {
            return Preconditions.PreconditionFailed();
        }

        var write = await database.UpdateProductAsync(id, draft, precondition.ExpectedVersion, cancellationToken);
        switch (write.Outcome)
        {
            case WriteOutcome.Done:
                Preconditions.SetETag(context.Response, Preconditions.ETagOf(write.Product!.Version));
                return TypedResults.Ok(write.Product.ToResponse());
            case WriteOutcome.Conflict:
                return SkuTaken(draft.Sku);
            case WriteOutcome.PreconditionFailed:
                return Preconditions.PreconditionFailed();
            default:
                return ProductNotFound(id);
        }
    }

    /// <summary>With <c>If-Match</c>, deletes only if the product is still the one the tag was made from (else 412).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteProduct(
        string id, ITenantDatabase database, HttpRequest request, CancellationToken cancellationToken)
    {
        var precondition = await IfMatchVersions.DecideAsync(
            request, async () => (await database.GetProductAsync(id, cancellationToken))?.Version);
        if (precondition.IsMissing)
        {
            return ProductNotFound(id);
        }

        if (precondition.IsStale)
        {
            return Preconditions.PreconditionFailed();
        }

        return await database.DeleteProductAsync(id, precondition.ExpectedVersion, cancellationToken) switch
        {
            WriteOutcome.Done => TypedResults.NoContent(),
            WriteOutcome.PreconditionFailed => Preconditions.PreconditionFailed(),
            _ => ProductNotFound(id),
        };
    }

    /// <summary>Also the answer for another tenant's product: its id means nothing in this tenant's database.</summary>
    internal static ProblemHttpResult ProductNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Product not found",
        detail: $"There is no product '{id}' in this tenant.",
        extensions: new Dictionary<string, object?> { ["productId"] = id });

    private static ProblemHttpResult SkuTaken(string sku) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "SKU already in use",
        detail: $"Another product of this tenant has the SKU '{sku}' (SKUs are compared ignoring case).",
        extensions: new Dictionary<string, object?> { ["sku"] = sku });
}
