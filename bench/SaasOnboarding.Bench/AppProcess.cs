using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SaasOnboarding.Bench;

/// <summary>
/// A published ASP.NET Core app started as its own process on a free loopback port. Its output goes to a log
/// file (drained, so a full pipe never stalls it); <see cref="PeakRssBytes"/> reads the kernel's high-water mark.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppProcess(Process process, StreamWriter log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri BaseAddress { get; }

    public static AppProcess Start(string appHost, string logFile, Func<int, IEnumerable<string>> arguments)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(appHost)
        {
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var argument in arguments(port))
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(process, log, port);
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; the time from the call to that answer.</summary>
    public async Task<TimeSpan> WaitUntilOkAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var url = new Uri(BaseAddress, path);
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before answering {path}.");
            }

            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"{url} did not answer 200 within {timeout}.");
    }

    /// <summary>Peak resident set size (VmHWM) of the process so far.</summary>
    public long PeakRssBytes() => StatusBytes("VmHWM:");

    /// <summary>
    /// Resets the kernel's peak resident set size (VmHWM) to the current one (<c>5</c> written to
    /// <c>/proc/&lt;pid&gt;/clear_refs</c>), so that a later <see cref="PeakRssBytes"/> is the peak from now on.
    /// </summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    /// <summary>Resident set size (VmRSS) of the process now.</summary>
    public long RssBytes() => StatusBytes("VmRSS:");

    private long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No {field} in /proc status.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
