using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Traces and metrics (docs/observability.md). The app's own <see cref="Source"/> and <see cref="Meter"/> always
/// exist and cost next to nothing without a listener; the OpenTelemetry SDK, which listens and exports over OTLP,
/// is registered only when <c>OpenTelemetry:Endpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Log lines
/// carry the trace and span ids either way.
/// </summary>
public static class Telemetry
{
    public const string Name = "SaasOnboarding";
    public const string EndpointSetting = "OpenTelemetry:Endpoint";
    public const string StandardEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meter of ASP.NET Core's <c>http.server.request.duration</c>.</summary>
    private const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";

    /// <summary>The source of ASP.NET Core's request activity, the request span (<see cref="RequestSpans"/>).</summary>
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    public const string TenantId = "tenant.id";
    public const string TenantTier = "tenant.tier";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> SagaSteps = Meter.CreateCounter<long>(
        "saasonboarding.saga.steps", "{step}", "Saga steps run, by saga, step and outcome (ok or error).");

    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "saasonboarding.rate_limit.rejections", "{request}", "Requests refused with 429, by tenant and route.");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "saasonboarding.revocation_cache.lookups", "{lookup}", "Lookups in the caches of tenant and caller state, by cache and result (hit or miss).");

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var endpoint = builder.Configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(builder.Configuration[StandardEndpointSetting]))
        {
            return builder;
        }

        // Without OpenTelemetry:Endpoint the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
        var baseUrl = string.IsNullOrWhiteSpace(endpoint) ? null : endpoint.TrimEnd('/');
        builder.Services.AddTelemetrySdk()
            .WithTracing(tracing => tracing.AddOtlpExporter(options => Point(options, baseUrl, "/v1/traces")))
            .WithMetrics(metrics => metrics.AddOtlpExporter(options => Point(options, baseUrl, "/v1/metrics")));
        return builder;
    }

    /// <summary>
    /// The SDK with every source, meter and instrumentation the app uses and the tenant tags on every tenant span,
    /// but no exporter: <see cref="AddTelemetry"/> adds OTLP, tests add an in-memory one. The request span is ASP.NET
    /// Core's own activity, named and tagged by <see cref="RequestSpans"/>.
    /// </summary>
    public static IOpenTelemetryBuilder AddTelemetrySdk(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RequestSpans>());
        return services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(Name))
            .WithTracing(tracing => tracing
                .AddSource(Name)
                .AddSource(AspNetCoreSource)
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddProcessor(new TenantTagsProcessor()))
            .WithMetrics(metrics => metrics
                .AddMeter(Name)
                // Of ASP.NET Core's meters only the request duration: the others (routing, authentication, Kestrel's
                // connections, rate-limiting leases) and the hosting's count of active requests would record more at
                // every request.
                .AddMeter(AspNetCoreHostingMeter)
                .AddView("http.server.active_requests", MetricStreamConfiguration.Drop)
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation());
    }

    /// <summary>
    /// Marks the rest of the request as the tenant's: its span, its <c>http.server.request.duration</c> series, and
    /// every span started under it from here on (<see cref="TenantTagsProcessor"/>). Without a listener only the
    /// metric tags are set, and only when ASP.NET Core's request metrics are listened to.
    /// </summary>
    public static void TagTenant(HttpContext context, string tenantId, string? tier)
    {
        if (Source.HasListeners() && Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(TenantId, tenantId);
            activity.SetTag(TenantTier, tier);
        }

        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.Tags.Add(new(TenantId, tenantId));
            metrics.Tags.Add(new(TenantTier, tier));
        }
    }

    /// <summary>Error status on <paramref name="activity"/>: the exception's type, never its message (it may name a user).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        var type = exception.GetType().FullName;
        activity.SetStatus(ActivityStatusCode.Error, type);
        activity.SetTag("error.type", type);
    }

    /// <summary>
    /// Runs one saga step in a span of its own (<c>{saga} {step}</c>) and counts its outcome. The step's exception
    /// goes on to the saga unchanged.
    /// </summary>
    public static async Task StepAsync(string saga, string step, string tenantId, string? tier, Func<Task> run)
    {
        using var activity = Source.StartActivity(saga + " " + step);
        activity?.SetTag(TenantId, tenantId);
        activity?.SetTag(TenantTier, tier);
        activity?.SetTag("saga.name", saga);
        activity?.SetTag("saga.step", step);
        try
        {
            await run();
        }
        catch (Exception e)
        {
            Fail(activity, e);
            SagaSteps.Add(1, new("saga.name", saga), new("saga.step", step), new("saga.outcome", "error"));
            throw;
        }

        SagaSteps.Add(1, new("saga.name", saga), new("saga.step", step), new("saga.outcome", "ok"));
    }

    /// <summary>Counts a 429: the tenant (if the caller has one) and the route template, never the raw path.</summary>
    public static void RateLimitRejected(string? tenantId, string? tier, string? route)
    {
        var tags = new TagList { { "http.route", route ?? "unmatched" } };
        if (tenantId is not null)
        {
            tags.Add(TenantId, tenantId);
            tags.Add(TenantTier, tier);
        }

        RateLimitRejections.Add(1, tags);
    }

    public static void CacheLookup(string cache, bool hit) => CacheLookups.Add(
        1, new("cache.name", cache), new("cache.result", hit ? "hit" : "miss"));

    private static void Point(OtlpExporterOptions options, string? baseUrl, string signalPath)
    {
        if (baseUrl is not null)
        {
            // gRPC takes the base address; OTLP/HTTP one address per signal.
            options.Endpoint = new Uri(options.Protocol == OtlpExportProtocol.HttpProtobuf ? baseUrl + signalPath : baseUrl);
        }
    }

    /// <summary>
    /// Tags every span that starts inside a tenant's request with <c>tenant.id</c> and <c>tenant.tier</c>: the
    /// spans Npgsql and HttpClient make, and the store's own. It copies them from the nearest span above it that has
    /// them (the request's span, tagged by <see cref="TagTenant"/>, or a span this processor tagged): each of those
    /// starts its span under the current one. Nothing per request is kept beside the spans themselves.
    /// </summary>
    private sealed class TenantTagsProcessor : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.GetTagItem(TenantId) is not null)
            {
                return;
            }

            for (var parent = data.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.GetTagItem(TenantId) is { } tenantId)
                {
                    data.SetTag(TenantId, tenantId);
                    data.SetTag(TenantTier, parent.GetTagItem(TenantTier));
                    return;
                }
            }
        }
    }
}
