using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Testing;

/// <summary>
/// The app's OpenTelemetry SDK (<see cref="Telemetry.AddTelemetrySdk"/>) with in-memory exporters instead of OTLP:
/// every finished span, and the metrics as of the last <see cref="Metrics"/>.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly Captured<Activity> _spans = new();
    private readonly Captured<MetricSnapshot> _metrics = new();
    private IServiceProvider? _services;

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    internal void Register(IServiceCollection services) => services.AddTelemetrySdk()
        .WithTracing(tracing => tracing.AddInMemoryExporter(_spans))
        .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics));

    internal void Started(IServiceProvider services) => _services = services;

    /// <summary>
    /// The server span of the request <paramref name="matches"/> picks, once it has ended: the response can reach the
    /// client a moment before the server's span ends.
    /// </summary>
    public async Task<Activity> ServerSpanAsync(Func<Activity, bool> matches)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (Spans.LastOrDefault(span => span.Kind == ActivityKind.Server && matches(span)) is { } span)
            {
                return span;
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException("No such server span was exported.");
    }

    /// <summary>The server span of the last request to <paramref name="path"/>.</summary>
    public Task<Activity> ServerSpanAsync(string path) =>
        ServerSpanAsync(span => (span.GetTagItem("url.path") as string) == path);

    /// <summary>Every span under <paramref name="root"/>, however deep.</summary>
    public IReadOnlyList<Activity> Descendants(Activity root)
    {
        var spans = Spans;
        var found = new List<Activity>();
        var parents = new HashSet<ActivitySpanId> { root.SpanId };
        bool added;
        do
        {
            added = false;
            foreach (var span in spans.Where(span => span.TraceId == root.TraceId && !found.Contains(span) && parents.Contains(span.ParentSpanId)))
            {
                found.Add(span);
                parents.Add(span.SpanId);
                added = true;
            }
        }
        while (added);
        return found;
    }

    /// <summary>
    /// The metrics once <paramref name="ready"/> holds of them, or as they are after five seconds: a request's
    /// duration is recorded when the server ends the request, a moment after the response reached the client.
    /// </summary>
    public async Task<IReadOnlyList<MetricSnapshot>> MetricsAsync(Func<IReadOnlyList<MetricSnapshot>, bool> ready)
    {
        var metrics = Metrics();
        for (var attempt = 0; attempt < 200 && !ready(metrics); attempt++)
        {
            await Task.Delay(25);
            metrics = Metrics();
        }

        return metrics;
    }

    /// <summary>Collects the metrics now; answers every metric's latest (cumulative) state.</summary>
    public IReadOnlyList<MetricSnapshot> Metrics()
    {
        var provider = (_services ?? throw new InvalidOperationException("The app has not started.")).GetRequiredService<MeterProvider>();
        _metrics.Clear();
        provider.ForceFlush();
        return _metrics.Snapshot();
    }

    /// <summary>
    /// The in-memory exporters add from the SDK's threads while a test reads: a list whose every access is locked.
    /// </summary>
    private sealed class Captured<T> : Collection<T>
    {
        private readonly Lock _lock = new();

        public IReadOnlyList<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (_lock)
            {
                base.ClearItems();
            }
        }
    }
}
