using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Webhooks;

/// <summary>
/// The webhook endpoints provider staff register (docs/webhooks.md): create (the signing secret is in that answer
/// and nowhere else), list, read, delete, send a test event, read the delivery log, and replay a past event to one
/// endpoint. SystemAdmin only.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Webhooks").RequireAuthorization(Policies.SystemAdmin).RequireManagementRateLimits();
        group.MapPost("/webhooks", CreateWebhook)
            .WithName(nameof(CreateWebhook))
            .WithSummary("Register a webhook endpoint (SystemAdmin)")
            .WithDescription("The answer holds the signing secret: it is shown this once and never again.");
        group.MapGet("/webhooks", ListWebhooks)
            .WithName(nameof(ListWebhooks))
            .WithSummary("List the webhook endpoints (SystemAdmin)");
        group.MapGet("/webhooks/{webhookId}", GetWebhook)
            .WithName(nameof(GetWebhook))
            .WithSummary("Read a webhook endpoint (SystemAdmin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/webhooks/{webhookId}", DeleteWebhook)
            .WithName(nameof(DeleteWebhook))
            .WithSummary("Delete a webhook endpoint with its delivery log (SystemAdmin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/webhooks/{webhookId}/test", TestWebhook)
            .WithName(nameof(TestWebhook))
            .WithSummary($"Send a {WebhookSender.TestEventType} event to the endpoint now (SystemAdmin)")
            .WithDescription("Answers the attempt as the delivery log keeps it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/webhooks/{webhookId}/deliveries", ListDeliveries)
            .WithName(nameof(ListDeliveries))
            .WithSummary("Read the endpoint's delivery log, newest first (SystemAdmin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/webhooks/{webhookId}/replay", ReplayEvent)
            .WithName(nameof(ReplayEvent))
            .WithSummary("Send a past event to the endpoint again, now (SystemAdmin)")
            .WithDescription("The event keeps its id (webhook-id), so a receiver that saw it already can tell. Answers the attempt as the delivery log keeps it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Created<WebhookResponse>, ValidationProblem>> CreateWebhook(
        WebhookRequest request, IWebhookStore store, WebhookSecrets secrets, Microsoft.Extensions.Options.IOptions<WebhookOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var url = errors.Text("url", request.Url, required: true, 2048, rule: null);
        if (url is not null)
        {
            CheckUrl(errors, url, options.Value);
        }

        var types = CheckTypes(errors, request.EventTypes);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = StoredTime.Truncate(time.GetUtcNow());
        var id = Guid.CreateVersion7(now).ToString();
        var secret = WebhookSecrets.NewSecret();
        var endpoint = new WebhookEndpoint(id, url!, await secrets.ProtectAsync(id, secret, cancellationToken), types, now, request.Enabled ?? true);
        await store.InsertEndpointAsync(endpoint, cancellationToken);
        return TypedResults.Created($"/webhooks/{id}", WebhookResponse.Of(endpoint) with { Secret = secret });
    }

    public static async Task<Results<Ok<ListResponse<WebhookResponse>>, ValidationProblem>> ListWebhooks(
        IWebhookStore store, CancellationToken cancellationToken, int? limit = null, string? nextToken = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await store.ListEndpointsAsync(take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<WebhookResponse>([.. page.Items.Select(WebhookResponse.Of)], page.NextToken));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhook(string webhookId, IWebhookStore store, CancellationToken cancellationToken) =>
        await store.GetEndpointAsync(webhookId, cancellationToken) is { } endpoint ? TypedResults.Ok(WebhookResponse.Of(endpoint)) : NotFound(webhookId);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(string webhookId, IWebhookStore store, CancellationToken cancellationToken) =>
        await store.DeleteEndpointAsync(webhookId, cancellationToken) ? TypedResults.NoContent() : NotFound(webhookId);

    public static async Task<Results<Ok<WebhookDelivery>, ProblemHttpResult>> TestWebhook(
        string webhookId, IWebhookStore store, WebhookSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetEndpointAsync(webhookId, cancellationToken) is not { } endpoint)
        {
            return NotFound(webhookId);
        }

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        var body = WebhookSender.TestBody(id, webhookId, StoredTime.Truncate(time.GetUtcNow()));
        return TypedResults.Ok(await SendNowAsync(store, sender, time, endpoint, id, WebhookSender.TestEventType, null, body, cancellationToken));
    }

    public static async Task<Results<Ok<ListResponse<WebhookDelivery>>, ValidationProblem, ProblemHttpResult>> ListDeliveries(
        string webhookId, IWebhookStore store, CancellationToken cancellationToken, int? limit = null, string? nextToken = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await store.GetEndpointAsync(webhookId, cancellationToken) is null)
        {
            return NotFound(webhookId);
        }

        var page = await store.ListDeliveriesAsync(webhookId, take!.Value, nextToken, cancellationToken);
        return TypedResults.Ok(new ListResponse<WebhookDelivery>(page.Items, page.NextToken));
    }

    public static async Task<Results<Ok<WebhookDelivery>, ValidationProblem, ProblemHttpResult>> ReplayEvent(
        string webhookId, ReplayRequest request, IWebhookStore store, WebhookSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var eventId = errors.Text("eventId", request.EventId, required: true, 64);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (await store.GetEndpointAsync(webhookId, cancellationToken) is not { } endpoint)
        {
            return NotFound(webhookId);
        }

        if (await store.GetEventAsync(eventId!, cancellationToken) is not { } change)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Event not found",
                detail: $"There is no event '{eventId}' in the outbox.",
                extensions: new Dictionary<string, object?> { ["eventId"] = eventId });
        }

        return TypedResults.Ok(await SendNowAsync(store, sender, time, endpoint, change.Id, change.Type, change.TenantId, WebhookSender.Body(change), cancellationToken));
    }

    /// <summary>The event types an endpoint may name in its filter.</summary>
    public static IReadOnlyList<string> EventTypes { get; } = [.. LifecycleEvents.All, WebhookSender.TestEventType];

    private static void CheckUrl(FieldErrors errors, string url, WebhookOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add("url", "Must be an absolute https address.");
        }
        else if (uri.Scheme == "http" && !options.AllowHttp)
        {
            errors.Add("url", $"Must be an https address ({WebhookOptions.Section}:AllowHttp allows http).");
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add("url", "Must not hold a user name or password.");
        }
        else if (!options.AllowPrivateAddresses && WebhookAddresses.IsPrivateHost(uri.Host))
        {
            errors.Add("url", $"Must not be a loopback or private address ({WebhookOptions.Section}:AllowPrivateAddresses allows them).");
        }
    }

    private static IReadOnlyList<string>? CheckTypes(FieldErrors errors, IReadOnlyList<string>? types)
    {
        if (types is null)
        {
            return null;
        }

        if (types.Count == 0)
        {
            errors.Add("eventTypes", "Leave it out for every type, or name at least one.");
            return null;
        }

        var unknown = types.Where(type => !EventTypes.Contains(type, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("eventTypes", $"Unknown event types: {string.Join(", ", unknown.Take(5))}. Known: {string.Join(", ", EventTypes)}.");
            return null;
        }

        return [.. types.Distinct(StringComparer.Ordinal)];
    }

    private static async Task<WebhookDelivery> SendNowAsync(
        IWebhookStore store, WebhookSender sender, TimeProvider time, WebhookEndpoint endpoint, string id, string type, string? tenantId, string body, CancellationToken cancellationToken)
    {
        var result = await sender.SendAsync(endpoint, id, body, cancellationToken);
        var now = StoredTime.Truncate(time.GetUtcNow());
        var delivery = new WebhookDelivery(
            Guid.CreateVersion7(now).ToString(),
            endpoint.Id,
            id,
            type,
            tenantId,
            1,
            result.Delivered ? WebhookOutcomes.Delivered : WebhookOutcomes.Failed,
            result.Status,
            result.Error,
            result.ResponseExcerpt,
            now,
            null);
        await store.AppendDeliveryAsync(delivery, CancellationToken.None);
        return delivery;
    }

    private static ProblemHttpResult NotFound(string webhookId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Webhook not found",
        detail: $"There is no webhook endpoint '{webhookId}'.",
        extensions: new Dictionary<string, object?> { ["webhookId"] = webhookId });
}

/// <summary>A webhook endpoint to register: its address, the event types it takes (left out: all) and whether it is on (default true).</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? EventTypes = null, bool? Enabled = null);

/// <summary>The event to send again.</summary>
public sealed record ReplayRequest(string? EventId);

/// <summary>A webhook endpoint as the API shows it; <see cref="Secret"/> only in the answer that created it.</summary>
public sealed record WebhookResponse(
    string Id,
    string Url,
    IReadOnlyList<string>? EventTypes,
    DateTimeOffset CreatedAt,
    bool Enabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null)
{
    public static WebhookResponse Of(WebhookEndpoint endpoint) => new(endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.CreatedAt, endpoint.Enabled);

    /// <summary>Never the secret.</summary>
    public override string ToString() => $"WebhookResponse {Id} ({Url})";
}

/// <summary>The <c>data</c> of a test event.</summary>
public sealed record WebhookTestData(string EndpointId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookTestData))]
internal sealed partial class WebhookJson : JsonSerializerContext;
