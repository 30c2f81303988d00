using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Products;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Orders;

/// <summary>
/// The workshop's order service, in the caller's own child database. Handlers take the scoped
/// <see cref="ITenantDatabase"/>, which middleware bound to the token's tenant: no handler takes a tenant id.
/// </summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        // Any user of the tenant; deleting an order also needs its admin.
        var group = routes.MapGroup(string.Empty).WithTags("Orders").RequireAuthorization(Policies.TenantUser).RequireRateLimiting(RateLimits.Tenant);
        TenantReads.Mark(group);

        group.MapGet("/orders", ListOrders)
            .WithName(nameof(ListOrders))
            .WithSummary("List the tenant's orders, newest first: `search` by a part of the name, the id or a product; `status` filters")
            .WithDescription(
                "Pages newest first (creation time, then id). `search` matches a part of the order's name or id, or of the name or SKU of a "
                + "product on one of its lines, ignoring case; `status` is processing, shipped, delivered or cancelled. Pass the returned "
                + "nextToken to get the next page; it is null on the last page. A `nextToken` is valid only with the search and status it was "
                + "issued for; any other answers 400 naming `nextToken`.");
        group.MapPost("/order", CreateOrder)
            .WithName(nameof(CreateOrder))
            .WithSummary("Place an order")
            .WithDescription(
                "Prices every line from its product and takes the stock of every line in one transaction. "
                + "If a product is missing (404) or short (409, with productId and available), nothing changes.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/order/{id}", GetOrder)
            .WithName(nameof(GetOrder))
            .WithSummary("Read an order")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/order/{id}", UpdateOrder)
            .WithName(nameof(UpdateOrder))
            .WithSummary("Rename an order or change its status")
            .WithDescription(
                "Status moves processing → shipped → delivered, and processing or shipped → cancelled (which returns the stock, once); "
                + "delivered and cancelled are final. Any other move answers 409 and changes nothing. Answers the new ETag; with "
                + "If-Match, a tag that is no longer current answers 412 and changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/order/{id}", DeleteOrder)
            .WithName(nameof(DeleteOrder))
            .RequireAuthorization(Policies.TenantAdmin)
            .WithSummary("Delete an order (TenantAdmin)")
            .WithDescription("Deleting an order that is still processing returns its stock. With If-Match, a tag that is no longer current answers 412 and deletes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return group;
    }

    public static async Task<Results<Ok<ListResponse<OrderResponse>>, ValidationProblem>> ListOrders(
        ITenantDatabase database,
        CancellationToken cancellationToken,
        int? limit = null,
        string? nextToken = null,
        string? search = null,
        string? status = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        var text = errors.Text("search", search, required: false, Paging.MaxSearchLength);
        var wanted = status?.Trim().ToLowerInvariant();
        if (wanted is not null && !SaasOnboarding.Domain.OrderStatus.IsKnown(wanted))
        {
            errors.Add("status", $"Must be one of {string.Join(", ", SaasOnboarding.Domain.OrderStatus.All)}.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await database.ListOrdersAsync(new OrderQuery(text, wanted), take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<OrderResponse>([.. page.Items.Select(order => order.ToResponse())], page.NextToken));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetOrder(
        string id, ITenantDatabase database, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await database.GetOrderAsync(id, cancellationToken) is not { } order)
        {
            return OrderNotFound(id);
        }

        Preconditions.SetETag(response, Preconditions.ETagOf(order.Version));
        return TypedResults.Ok(order.ToResponse());
    }

    public static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> CreateOrder(
        OrderRequest request, ITenantDatabase database, ILoggerFactory loggers, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Check(errors) is not (var orderName, var lines))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var creation = await database.CreateOrderAsync(orderName, lines, cancellationToken);
        if (creation.Order is { } order)
        {
            Preconditions.SetETag(response, Preconditions.ETagOf(order.Version));
            return TypedResults.Created(ResourceLinks.PathTo(response.HttpContext, nameof(GetOrder), new() { ["id"] = order.Id }), order.ToResponse());
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

    /// <summary>
    /// Status moves forward only (<see cref="OrderStatus.CanMove"/>); a refused move answers 409 and changes nothing.
    /// With <c>If-Match</c>, the write happens only if the order is still the one the tag was made from (else 412).
    /// </summary>
    public static async Task<Results<Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> UpdateOrder(
        string id, OrderUpdateRequest request, ITenantDatabase database, HttpContext context, CancellationToken cancellationToken)
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

        var precondition = await IfMatchVersions.DecideAsync(
            context.Request, async () => (await database.GetOrderAsync(id, cancellationToken))?.Version);
        if (precondition.IsMissing)
        {
            return OrderNotFound(id);
        }

        if (precondition.IsStale)
        {
            return Preconditions.PreconditionFailed();
        }

        var write = await database.UpdateOrderAsync(id, orderName, status, precondition.ExpectedVersion, cancellationToken);
        switch (write.Outcome)
        {
            case WriteOutcome.Done:
                Preconditions.SetETag(context.Response, Preconditions.ETagOf(write.Order!.Version));
                return TypedResults.Ok(write.Order.ToResponse());
            case WriteOutcome.TransitionRefused:
                return TransitionRefused(id, write.CurrentStatus!, status!);
            default:
                return Refused(id, write);
        }
    }

    /// <summary>
    /// Deleting a processing order returns its stock. With <c>If-Match</c>, deletes only if the order is still the
    /// one the tag was made from (else 412).
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteOrder(
        string id, ITenantDatabase database, HttpRequest request, CancellationToken cancellationToken)
    {
        var precondition = await IfMatchVersions.DecideAsync(
            request, async () => (await database.GetOrderAsync(id, cancellationToken))?.Version);
        if (precondition.IsMissing)
        {
            return OrderNotFound(id);
        }

        if (precondition.IsStale)
        {
            return Preconditions.PreconditionFailed();
        }

        var write = await database.DeleteOrderAsync(id, precondition.ExpectedVersion, cancellationToken);
        return write.Outcome == WriteOutcome.Done ? TypedResults.NoContent() : Refused(id, write);
    }

    /// <summary>The answer for a write the store refused (anything but Done or a refused status move).</summary>
    private static ProblemHttpResult Refused(string id, OrderWrite write) => write.Outcome switch
    {
        WriteOutcome.PreconditionFailed => Preconditions.PreconditionFailed(),
        WriteOutcome.BoundExceeded => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Stock limit exceeded",
            detail: $"Returning the stock of order '{id}' would take product '{write.ProductId}' past the maximum stock of "
                + $"{DataPlaneLimits.MaxStock}. Nothing was changed; lower the product's quantity first.",
            extensions: new Dictionary<string, object?> { ["orderId"] = id, ["productId"] = write.ProductId, ["field"] = "quantity" }),
        _ => OrderNotFound(id),
    };

    private static ProblemHttpResult TransitionRefused(string id, string current, string asked) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Order status change not allowed",
        detail: $"Order '{id}' is {current}; it cannot become {asked}. Status moves processing → shipped → delivered, "
            + "and processing or shipped → cancelled; delivered and cancelled are final. Nothing was changed.",
        extensions: new Dictionary<string, object?> { ["orderId"] = id, ["field"] = "orderStatus", ["orderStatus"] = current });

    /// <summary>Also the answer for another tenant's order: its id means nothing in this tenant's database.</summary>
    private static ProblemHttpResult OrderNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Order not found",
        detail: $"There is no order '{id}' in this tenant.",
        extensions: new Dictionary<string, object?> { ["orderId"] = id });
}
