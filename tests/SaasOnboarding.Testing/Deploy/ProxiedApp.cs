using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace SaasOnboarding.Testing;

/// <summary>
/// The real app as it runs behind a proxy: every request arrives from <paramref name="proxyAddress"/> (the Lambda
/// Web Adapter calls from 127.0.0.1), optionally with a public base path configured.
/// </summary>
public class ProxiedApp(string? pathBase, IPAddress proxyAddress, IDictionary<string, string?>? settings = null)
    : AppFactory(null, Settings(pathBase, settings), services => services.AddTransient<IStartupFilter>(_ => new ConnectionFrom(proxyAddress)))
{
    public const string Stage = "/Prod";
    public const string PublicHost = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

    /// <summary>The request context the Lambda Web Adapter sets for a request that came through API Gateway's REST API (abridged).</summary>
    public const string GatewayRequestContext =
        """{"accountId":"123456789012","resourcePath":"/{proxy+}","stage":"Prod","requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","identity":{"sourceIp":"203.0.113.10"},"httpMethod":"POST","apiId":"a1b2c3d4e5"}""";

    /// <summary>
    /// A request as API Gateway hands it on through the adapter: its public host and scheme, the caller's address
    /// appended, and the gateway's request context.
    /// </summary>
    public static HttpRequestMessage FromGateway(HttpMethod method, string path, string callerAddress = "203.0.113.10", object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = PublicHost;
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", callerAddress);
        request.Headers.Add("x-amzn-request-context", GatewayRequestContext);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    private static Dictionary<string, string?> Settings(string? pathBase, IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (pathBase is not null)
        {
            all["Hosting:PathBase"] = pathBase;
        }

        return all;
    }

    /// <summary>TestServer has no connection address; a proxy's is set before the app's own pipeline runs.</summary>
    private sealed class ConnectionFrom(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Behind API Gateway's stage <c>/Prod</c>, called by the adapter on loopback.</summary>
public sealed class StagedApp() : ProxiedApp(Stage, IPAddress.Loopback);

/// <summary>Behind a proxy on loopback, with no base path configured (X-Forwarded-Prefix may name one).</summary>
public sealed class UnstagedApp() : ProxiedApp(null, IPAddress.Loopback);
