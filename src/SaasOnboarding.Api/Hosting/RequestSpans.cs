using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Names and tags the request span, which is ASP.NET Core's own activity (source <c>Microsoft.AspNetCore</c>):
/// <c>{method} {route}</c>, with <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c> and
/// <c>http.response.status_code</c>, and status Error for a 5xx answer or an exception that leaves the pipeline.
/// Registered with the SDK only (<see cref="Telemetry.AddTelemetrySdk"/>), first in the pipeline: it sees the path
/// as it arrived and the status code that leaves, after the exception handler and the status code pages. A request
/// whose span is not recorded is passed on untouched.
/// </summary>
internal sealed class RequestSpans : IStartupFilter
{
    private const string OtherMethod = "_OTHER";

    /// <summary>The status codes, boxed once: a tag's value is an object.</summary>
    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 600).Select(code => (object)code)];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static (context, next) =>
            context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity
                ? TracedAsync(context, next, activity)
                : next(context));
        next(app);
    };

    private static async Task TracedAsync(HttpContext context, RequestDelegate next, Activity activity)
    {
        var request = context.Request;
        var method = Method(request.Method);
        activity.SetTag("http.request.method", method);
        activity.SetTag("url.path", request.PathBase.HasValue ? (request.PathBase + request.Path).ToString() : request.Path.Value ?? "/");
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            Name(context, activity, method);
            Telemetry.Fail(activity, e);
            throw;
        }

        Name(context, activity, method);
        var status = context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status is >= 0 and < 600 ? StatusCodes[status] : status);
        if (status >= 500)
        {
            activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>The route template, from the endpoint that ran (the exception handler's record of it, after a failure).</summary>
    private static void Name(HttpContext context, Activity activity, string method)
    {
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route is { } route)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = method == OtherMethod ? "HTTP " + route : method + " " + route;
        }
        else
        {
            activity.DisplayName = method == OtherMethod ? "HTTP" : method;
        }
    }

    /// <summary>The method as the semantic conventions name it: one of the standard ones, or <c>_OTHER</c>.</summary>
    private static string Method(string method) =>
        HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsPut(method) ? HttpMethods.Put
        : HttpMethods.IsDelete(method) ? HttpMethods.Delete
        : HttpMethods.IsPatch(method) ? HttpMethods.Patch
        : HttpMethods.IsHead(method) ? HttpMethods.Head
        : HttpMethods.IsOptions(method) ? HttpMethods.Options
        : HttpMethods.IsTrace(method) ? HttpMethods.Trace
        : HttpMethods.IsConnect(method) ? HttpMethods.Connect
        : OtherMethod;
}
