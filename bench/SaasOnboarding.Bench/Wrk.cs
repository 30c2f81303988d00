using System.Diagnostics;
using System.Text.Json;

namespace SaasOnboarding.Bench;

internal sealed record WrkResult(long Requests, long DurationUs, long P50Us, long P90Us, long P99Us, long MaxUs, long Non2xx, long SocketErrors)
{
    public double RequestsPerSecond => Requests / (DurationUs / 1e6);

    public double P50Ms => P50Us / 1000.0;

    public double P99Ms => P99Us / 1000.0;

    /// <summary>Where the run's CPU went, per request; null when the run was not measured.</summary>
    public CpuPerRequest? Cpu { get; init; }
}

/// <summary>Runs wrk with the benchmark's Lua script and parses the JSON line its done() prints.</summary>
internal sealed class Wrk(string luaScript, int threads, int connections, TimeSpan duration)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<WrkResult> RunAsync(Uri baseAddress, string path, string? tokensFile, CpuMeter? meter = null)
    {
        var start = new ProcessStartInfo("wrk")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "-t", threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-c", connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-d", ((int)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "s",
                     "--latency", "-s", luaScript, baseAddress.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_PATH"] = path;
        start.Environment["BENCH_TOKENS"] = tokensFile ?? string.Empty;
        var before = meter?.Take();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var after = meter?.Take();
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH-RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}): {output} {await stderr}");
        var result = JsonSerializer.Deserialize<WrkResult>(line["BENCH-RESULT ".Length..], Json)!;
        if (result.Non2xx > 0 || result.SocketErrors > 0)
        {
            throw new InvalidOperationException($"wrk {path}: {result.Non2xx} non-2xx answers and {result.SocketErrors} socket errors; the figures would be wrong.");
        }

        return before is { } first && after is { } last ? result with { Cpu = CpuMeter.PerRequest(first, last, result.Requests) } : result;
    }
}
