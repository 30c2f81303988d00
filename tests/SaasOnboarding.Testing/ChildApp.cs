using System.Diagnostics;
using System.Net.Sockets;

namespace SaasOnboarding.Testing;

/// <summary>The app as a separate process on a loopback port, for tests that kill it or talk to it over TCP.</summary>
public sealed class ChildApp : IDisposable
{
    private readonly Process _process;

    private ChildApp(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// The environment variable that names the app published with Native AOT (<c>scripts/test.sh</c> publishes it and
    /// sets it), for the tests that also run against that binary.
    /// </summary>
    public const string AotBinaryVariable = "SAAS_AOT_BINARY";

    /// <summary>
    /// Starts the app and waits for its <c>/health</c>: the JIT build (<c>dotnet SaasOnboarding.Api.dll</c>), or, with
    /// <paramref name="nativeBinary"/>, that executable (the Native AOT publish).
    /// </summary>
    public static async Task<ChildApp> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, string? nativeBinary = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(nativeBinary ?? "dotnet", nativeBinary is null ? [typeof(Program).Assembly.Location] : [])
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__Embedded__DataDirectory"] = dataDirectory;
        start.Environment["Identity__Local__DataDirectory"] = dataDirectory;
        start.Environment["Identity__Local__AdminPassword"] = AppFactory.AdminPassword;
        start.Environment["RateLimits__RegistrationPermits"] = "1000000";
        start.Environment["RateLimits__AuthPermits"] = "1000000";
        start.Environment["RateLimits__ManagementCallerPermits"] = "1000000";
        start.Environment["RateLimits__ManagementTenantPermits"] = "1000000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new ChildApp(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = app.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} before it answered /health.");
            }

            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                app.Dispose();
                throw new TimeoutException("The app did not answer /health within 60 s.");
            }

            await Task.Delay(100);
        }
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or a Lambda that is frozen and discarded.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
