using System.Net;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// The public address of a request as the client used it: its scheme and client IP from the proxy's
/// X-Forwarded-* headers, and its base path, so that Swagger UI, the OpenAPI servers, Location headers and
/// redirects name URLs that work from outside.
/// </summary>
public static class HostingSetup
{
    /// <summary>Goes first in the pipeline: everything after it, error pages included, sees the public address.</summary>
    public static WebApplication UsePublicAddress(this WebApplication app)
    {
        var options = app.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();

        // Read here rather than through IOptions: the pipeline is being built, and a wrong setting must stop the
        // app now, naming the setting.
        var result = new HostingOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(HostingOptions.Section, typeof(HostingOptions), result.Failures);
        }

        app.UseForwardedHeaders(ForwardedHeaders(options));
        if (!string.IsNullOrEmpty(options.PathBase))
        {
            var pathBase = new PathString(options.PathBase);
            app.Use((context, next) =>
            {
                // API Gateway (through the Lambda Web Adapter) sends the stage in the path: move it to PathBase.
                // A request without it (the adapter's readiness check, or AWS_LWA_REMOVE_BASE_PATH already took it
                // off) still gets it as PathBase, so that the links it is answered with carry it.
                if (context.Request.Path.StartsWithSegments(pathBase, out var remaining))
                {
                    context.Request.Path = remaining;
                }

                context.Request.PathBase = context.Request.PathBase.Add(pathBase);
                return next(context);
            });
        }

        // Without an explicit UseRouting, WebApplication adds it at the very start, where it would route on the
        // path before its base path is taken off.
        app.UseRouting();
        return app;
    }

    private static ForwardedHeadersOptions ForwardedHeaders(HostingOptions options)
    {
        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto
                | (string.IsNullOrEmpty(options.PathBase) ? Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedPrefix : 0),

            // One hop: the address the nearest proxy appended (API Gateway appends the caller's), never one a
            // client wrote into the header itself.
            ForwardLimit = 1,
        };

        // Loopback stays known by default: the Lambda Web Adapter calls the app from 127.0.0.1.
        foreach (var proxy in options.KnownProxies)
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        if (options.TrustAnyProxy)
        {
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
        }

        return forwarded;
    }
}
