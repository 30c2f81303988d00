using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Audit;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// The app on AWS Lambda (docs/deploy.md). Between requests Lambda freezes an instance, so the background passes run
/// only while one is being served; an EventBridge schedule invokes the function instead, and the Lambda Web Adapter
/// hands that non-HTTP event on as a <c>POST</c> to its pass-through path (<c>AWS_LWA_PASS_THROUGH_PATH</c>), here
/// <see cref="Path"/>, which runs every <see cref="IPeriodicPass"/> once, each under its lease as its own timer runs it.
/// </summary>
public static class LambdaEvents
{
    /// <summary>The adapter's pass-through path: the template's <c>AWS_LWA_PASS_THROUGH_PATH</c>.</summary>
    public const string Path = "/internal/events";

    /// <summary>Set by Lambda in every function's environment: the app runs on Lambda.</summary>
    public const string FunctionNameVariable = "AWS_LAMBDA_FUNCTION_NAME";

    /// <summary>
    /// The header in which the adapter hands the app the event's request context as JSON. It sets it on every
    /// request, replacing any a client sent: an object for an HTTP trigger (API Gateway, a function URL, a load
    /// balancer), <c>null</c> for a non-HTTP event such as a schedule's.
    /// </summary>
    public const string RequestContextHeader = "x-amzn-request-context";

    /// <summary>The <c>detail-type</c> of an EventBridge schedule's event.</summary>
    public const string ScheduledEvent = "Scheduled Event";

    /// <summary>Whether the app runs on AWS Lambda (the variable is read through configuration, which holds the environment).</summary>
    public static bool OnLambda(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[FunctionNameVariable]);

    /// <summary>
    /// <c>POST</c> <see cref="Path"/>: no user's to call, so no token is asked for; on Lambda, a request the adapter
    /// made of a non-HTTP event runs the passes, and any other (one that came through API Gateway, whose request
    /// context the adapter always sets, or any request off Lambda) is answered 404, as a path that is not there.
    /// Not in the OpenAPI document.
    /// </summary>
    public static WebApplication MapLambdaEvents(this WebApplication app)
    {
        app.MapPost(Path, RunScheduledPassesAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Whether <paramref name="request"/> is the adapter's hand-on of a non-HTTP event.</summary>
    public static bool FromPassThrough(HttpRequest request) =>
        request.Headers.TryGetValue(RequestContextHeader, out var context) && context is [ "null" ];

    private static async Task<Results<NotFound, ValidationProblem, EmptyHttpResult>> RunScheduledPassesAsync(
        HttpContext context, IConfiguration configuration, IEnumerable<IPeriodicPass> passes, ILoggerFactory loggers)
    {
        if (!OnLambda(configuration) || !FromPassThrough(context.Request))
        {
            return TypedResults.NotFound();
        }

        if (await DetailTypeAsync(context.Request) is not ScheduledEvent)
        {
            var errors = new FieldErrors();
            errors.Add("detail-type", $"Only an EventBridge schedule's \"{ScheduledEvent}\" is handled here.");
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Each pass's own effects are recorded where they happen (delivery log, purge entries); the schedule's call
        // is no change made through the API.
        AuditTrail.NotAChange(context);
        var logger = loggers.CreateLogger(typeof(LambdaEvents));
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("passes");
        foreach (var pass in passes)
        {
            string outcome;
            try
            {
                outcome = await pass.RunPassAsync(context.RequestAborted) ? "ran" : "held";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The scheduled {Pass} pass failed", pass.Name);
                outcome = "failed";
            }

            json.WriteString(pass.Name, outcome);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
        return TypedResults.Empty;
    }

    /// <summary>The event's <c>detail-type</c>, or null for a body that is not a JSON object holding one.</summary>
    private static async Task<string?> DetailTypeAsync(HttpRequest request)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("detail-type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
