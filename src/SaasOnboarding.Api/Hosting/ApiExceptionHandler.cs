using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Hosting;

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
            DirectoryError.LimitExceeded => Problem(
                StatusCodes.Status503ServiceUnavailable,
                "Identity provider quota reached",
                "The tenant user pool holds as many groups as it may, so no tenant with a group of its own can be registered; " +
                "the provider turns Identity:GroupPerTenant off (docs/scaling.md)."),
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
