using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Hosting;

/// <summary>Every error leaves as RFC 9457 problem details with a trace id, and never with a stack trace.</summary>
public static partial class ApiErrors
{
    public static WebApplicationBuilder AddApiErrors(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        // Binding failures become exceptions, so that the handler can name the field that was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// A converter that refuses a value puts what is wrong with it under this key of the exception's
    /// <see cref="Exception.Data"/>; the field error then says that.
    /// </summary>
    public const string FieldProblemKey = "SaasOnboarding.FieldProblem";

    /// <summary>Field errors of a JSON body that did not bind: the field's path, and what was wrong with it.</summary>
    internal static Dictionary<string, string[]> JsonFieldErrors(JsonException exception)
    {
        if (exception.Data[FieldProblemKey] is string fieldProblem)
        {
            return new() { [FieldName(exception.Path)] = [fieldProblem] };
        }

        var message = exception.Message;
        var unknown = UnknownMemberPattern().Match(message);
        if (unknown.Success)
        {
            var name = unknown.Groups[1].Value;
            var path = FieldName(exception.Path);
            var field = path == "body" ? name : path.EndsWith(name, StringComparison.Ordinal) ? path : path + "." + name;
            return new() { [field] = ["This field is not part of the request."] };
        }

        if (message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return new() { [FieldName(exception.Path)] = ["This field appears more than once (names are compared ignoring case)."] };
        }

        var expected = ConvertedToPattern().Match(message) is { Success: true } converted
            ? converted.Groups[1].Value switch
            {
                "System.String" => "a string",
                "System.Int32" or "System.Int64" => "a whole number",
                "System.Decimal" or "System.Double" => "a number",
                "System.Boolean" => "true or false",
                var type when type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "an array",
                _ => "an object",
            }
            : null;
        var problem = expected is null ? "This is not valid JSON." : $"The value must be {expected}.";
        return new() { [FieldName(exception.Path)] = [problem] };
    }

    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownMemberPattern();

    [GeneratedRegex("could not be converted to (\\S+?)\\.(?: Path|$)")]
    private static partial Regex ConvertedToPattern();
}

internal sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        }

        if (exception is DirectoryException { Error: DirectoryError.Throttled or DirectoryError.Unavailable })
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => Invalid(ApiErrors.JsonFieldErrors(json)),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", "The request body is larger than this API accepts."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."),
        BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
            Invalid(new() { ["body"] = ["A JSON body is required."] }),
        BadHttpRequestException bad when QueryParameterPattern().Match(bad.Message) is { Success: true } match =>
            Invalid(new() { [match.Groups[1].Value] = ["The value is not valid."] }),
        BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", "The request could not be read."),
        InvalidPageTokenException => Invalid(new() { ["nextToken"] = ["The nextToken is not one this API issued."] }),
        DirectoryException directory => directory.Error switch
        {
            DirectoryError.UserExists => Problem(StatusCodes.Status409Conflict, "User exists", "A user with this user name already exists."),
            DirectoryError.GroupExists => Problem(StatusCodes.Status409Conflict, "Group exists", "A group with this name already exists."),
            DirectoryError.UserNotFound => Problem(StatusCodes.Status404NotFound, "Not found", "The user does not exist."),
            DirectoryError.GroupNotFound => Problem(StatusCodes.Status404NotFound, "Not found", "The group does not exist."),
            DirectoryError.InvalidPassword => Invalid(new() { ["newPassword"] = [directory.Message] }),
            DirectoryError.InvalidParameter => Problem(StatusCodes.Status400BadRequest, "Invalid parameter", "The identity provider refused a value of this request."),
            DirectoryError.NotAuthorized => Problem(
                StatusCodes.Status401Unauthorized,
                "Not authorized",
                "The user name, password, session or refresh token is not valid, or the user is disabled."),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "Identity provider unavailable", "Try again shortly."),
        },
        _ => Problem(StatusCodes.Status500InternalServerError, "Unexpected error", "The request failed. Quote the trace id when reporting it."),
    };

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static HttpValidationProblemDetails Invalid(Dictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
    };

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"\\w+ (\\w+)\" from \"")]
    private static partial System.Text.RegularExpressions.Regex QueryParameterPattern();
}
