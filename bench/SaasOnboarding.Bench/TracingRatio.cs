using System.Net;
using SaasOnboarding.Testing;

namespace SaasOnboarding.Bench;

/// <summary>
/// Tenant-read throughput with tracing on ÷ the same with it off. A second instance of the app on the same data
/// directory exports every trace and its metrics over OTLP/HTTP (the SDK's default sampler keeps every trace wrk
/// starts) to <see cref="OtlpSink"/>, a loopback receiver in this process that reads each export and answers 200:
/// the export is really serialized and sent, unlike with a closed port, where the exporter would only fail to
/// connect. Rounds alternate between the traced instance and the untraced one the other reads ran against.
/// </summary>
internal static class TracingRatio
{
    public static async Task<(List<WrkResult> Off, List<WrkResult> On, long Exports)> RunAsync(
        AppProcess untraced, string appHost, string dataDirectory, string workDirectory, Func<int, IEnumerable<string>> appArguments,
        SeededTenant tenant, Wrk wrk, int rounds, HttpClient http)
    {
        using var sink = OtlpSink.Start();
        await using var traced = AppProcess.Start(appHost, Path.Combine(workDirectory, "app-traced.log"), port =>
            [.. appArguments(port), $"--OpenTelemetry:Endpoint={sink.BaseAddress}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"]);
        await traced.WaitUntilOkAsync(http, "/health", TimeSpan.FromMinutes(1));
        var offTokens = await TokenFileAsync(untraced, "off");
        var onTokens = await TokenFileAsync(traced, "on");
        await wrk.RunAsync(traced.BaseAddress, "/products", onTokens); // warm-up of the new instance

        var offMeter = new CpuMeter(untraced.ProcessId, postgresPort: null);
        var onMeter = new CpuMeter(traced.ProcessId, postgresPort: null);
        var off = new List<WrkResult>();
        var on = new List<WrkResult>();
        for (var round = 0; round < rounds; round++)
        {
            off.Add(await wrk.RunAsync(untraced.BaseAddress, "/products", offTokens, offMeter));
            on.Add(await wrk.RunAsync(traced.BaseAddress, "/products", onTokens, onMeter));
            Console.WriteLine($"   round {round + 1}: /products 1 tenant, tracing off {off[^1].RequestsPerSecond:F0} req/s, on {on[^1].RequestsPerSecond:F0} req/s ({sink.Exports} OTLP exports so far)");
            Console.WriteLine($"     off {off[^1].Cpu}; on {on[^1].Cpu}");
        }

        if (sink.Exports == 0)
        {
            throw new InvalidOperationException("The traced instance exported nothing: the figure would measure an app without tracing.");
        }

        return (off, on, sink.Exports);

        // Tokens name their issuer, which is each instance's own address.
        async Task<string> TokenFileAsync(AppProcess server, string name)
        {
            using var minter = LocalTokenMinter.ForTenantPool(dataDirectory, server.BaseAddress.ToString());
            var token = minter.IdToken(new MintedUser(tenant.AdminUserName, tenant.Email, tenant.TenantId, "TenantAdmin", [tenant.TenantId], Guid.NewGuid().ToString()), DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
            var file = Path.Combine(workDirectory, $"tokens-tracing-{name}.txt");
            await File.WriteAllLinesAsync(file, [token]);
            return file;
        }
    }

    /// <summary>An OTLP/HTTP receiver that reads every export and answers 200 with an empty (valid) response.</summary>
    private sealed class OtlpSink : IDisposable
    {
        private readonly HttpListener _listener = new();
        private long _exports;

        private OtlpSink(int port)
        {
            BaseAddress = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(BaseAddress + "/");
        }

        public string BaseAddress { get; }

        public long Exports => Interlocked.Read(ref _exports);

        public static OtlpSink Start()
        {
            var sink = new OtlpSink(AppProcess.FreePort());
            sink._listener.Start();
            _ = Task.Run(sink.ServeAsync);
            return sink;
        }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                await context.Request.InputStream.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref _exports);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
