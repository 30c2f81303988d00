using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

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
