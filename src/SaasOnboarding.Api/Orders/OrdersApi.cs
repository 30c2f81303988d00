using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Products;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Orders;

/// <summary>
/// The workshop's order service, in the caller's own child database. Handlers take the scoped
/// <see cref="ITenantDatabase"/>, which middleware bound to the token's tenant: no handler takes a tenant id.
/// </summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty).WithTags("Orders").RequireRateLimiting(RateLimits.Tenant);

        group.MapGet("/orders", ListOrders)
            .WithName(nameof(ListOrders))
            .RequireAuthorization(Policies.TenantUser)
            .WithSummary("List the tenant's orders")
            .WithDescription("Pages in creation order. Pass the returned nextToken to get the next page; it is null on the last page.");
        group.MapPost("/order", CreateOrder)
            .WithName(nameof(CreateOrder))
            .RequireAuthorization(Policies.TenantUser)
            .WithSummary("Place an order")
            .WithDescription(
                "Prices every line from its product and takes the stock of every line in one transaction. "
                + "If a product is missing (404) or short (409, with productId and available), nothing changes.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/order/{id}", GetOrder)
            .WithName(nameof(GetOrder))
            .RequireAuthorization(Policies.TenantUser)
            .WithSummary("Read an order")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/order/{id}", UpdateOrder)
            .WithName(nameof(UpdateOrder))
            .RequireAuthorization(Policies.TenantUser)
            .WithSummary("Rename an order or change its status")
            .WithDescription("Cancelling returns the stock, once. A cancelled order is final: moving it to another status answers 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/order/{id}", DeleteOrder)
            .WithName(nameof(DeleteOrder))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Delete an order (TenantAdmin)")
            .WithDescription("Deleting an order that is still processing returns its stock.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<OrderResponse>>, ValidationProblem>> ListOrders(
        ITenantDatabase database, CancellationToken cancellationToken, int? limit = null, string? nextToken = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await database.ListOrdersAsync(take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<OrderResponse>([.. page.Items.Select(order => order.ToResponse())], page.NextToken));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetOrder(
        string id, ITenantDatabase database, CancellationToken cancellationToken) =>
        await database.GetOrderAsync(id, cancellationToken) is { } order
            ? TypedResults.Ok(order.ToResponse())
            : OrderNotFound(id);

    public static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> CreateOrder(
        OrderRequest request, ITenantDatabase database, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not (var orderName, var lines))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var creation = await database.CreateOrderAsync(orderName, lines, cancellationToken);
        if (creation.Order is { } order)
        {
            return TypedResults.Created($"/order/{order.Id}", order.ToResponse());
        }

        if (creation.MissingProductId is { } missing)
        {
            return ProductsApi.ProductNotFound(missing);
        }

        loggers.CreateLogger(typeof(OrdersApi).FullName!).LogInformation(
            "Order refused: product {ProductId} has {Available} in stock", creation.ShortProductId, creation.Available);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Insufficient stock",
            detail: $"Product '{creation.ShortProductId}' has {creation.Available} in stock, fewer than the order asks for. Nothing was ordered.",
            extensions: new Dictionary<string, object?> { ["productId"] = creation.ShortProductId, ["available"] = creation.Available });
    }

    public static async Task<Results<Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> UpdateOrder(
        string id, OrderUpdateRequest request, ITenantDatabase database, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not (var orderName, var status, var lines))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Workshop clients send the whole order back; its lines may come along, but only as they are.
        if (lines is not null)
        {
            if (await database.GetOrderAsync(id, cancellationToken) is not { } current)
            {
                return OrderNotFound(id);
            }

            if (!current.HasLines(lines))
            {
                errors.Add("orderProducts", "The lines of a placed order cannot change; cancel it and place a new order.");
                return TypedResults.ValidationProblem(errors.ToDictionary());
            }
        }

        var order = await database.UpdateOrderAsync(id, orderName, status, cancellationToken);
        if (order is null)
        {
            return OrderNotFound(id);
        }

        // The store refuses to move a cancelled order and answers it unchanged: a status other than the one asked
        // for means the change was refused, and nothing was written.
        if (status is not null && order.Status != status)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Order is cancelled",
                detail: $"Order '{id}' was cancelled and its stock returned; it cannot become {status}. Place a new order instead.",
                extensions: new Dictionary<string, object?> { ["orderId"] = id, ["orderStatus"] = order.Status });
        }

        return TypedResults.Ok(order.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteOrder(
        string id, ITenantDatabase database, CancellationToken cancellationToken) =>
        await database.DeleteOrderAsync(id, cancellationToken) ? TypedResults.NoContent() : OrderNotFound(id);

    /// <summary>Also the answer for another tenant's order: its id means nothing in this tenant's database.</summary>
    private static ProblemHttpResult OrderNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Order not found",
        detail: $"There is no order '{id}' in this tenant.",
        extensions: new Dictionary<string, object?> { ["orderId"] = id });
}
