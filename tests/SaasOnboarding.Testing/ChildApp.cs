using System.Globalization;

namespace SaasOnboarding.Testing;

/// <summary>
/// The built app as a separate process on a loopback port, started as <c>dotnet SaasOnboarding.Api.dll</c> from its
/// data directory (not the app's own folder): embedded storage and the local identity provider, in the Development
/// environment (the dev mailbox), with no issuer configured, the rate limits as high as <see cref="AppFactory"/>'s and
/// passwords hashed with <see cref="AppFactory.TestHashIterations"/> (a setting honoured only in Development).
/// For tests that kill it, restart it on the same files, or talk to it over TCP.
/// </summary>
public sealed class ChildApp : IDisposable
{
    private readonly ChildProcess _process;

    private ChildApp(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the app wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// The environment variable that names the app published with Native AOT (<c>scripts/test.sh</c> publishes it and
    /// sets it), for the tests that also run against that binary.
    /// </summary>
    public const string AotBinaryVariable = "SAAS_AOT_BINARY";

    /// <summary>
    /// Starts the app and waits for its <c>/health</c>: the JIT build (<c>dotnet SaasOnboarding.Api.dll</c>), or, with
    /// <paramref name="nativeBinary"/>, that executable (the Native AOT publish).
    /// </summary>
    /// <param name="dataDirectory">The folder the app is started in, which also holds its data.</param>
    /// <param name="settings">Configuration keys (<c>Section:Key</c>) that replace or add to the defaults.</param>
    public static async Task<ChildApp> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, string? nativeBinary = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__Embedded__DataDirectory"] = dataDirectory,
            ["Identity__Local__DataDirectory"] = dataDirectory,
            ["Identity__Local__AdminPassword"] = AppFactory.AdminPassword,
            ["RateLimits__RegistrationPermits"] = "1000000",
            ["RateLimits__AuthPermits"] = "1000000",
            ["RateLimits__TenantPermits__Basic"] = "1000000",
            ["RateLimits__TenantPermits__Standard"] = "1000000",
            ["RateLimits__TenantPermits__Premium"] = "1000000",
            ["RateLimits__TenantPermits__Platinum"] = "1000000",
            ["RateLimits__ManagementCallerPermits"] = "1000000",
            ["RateLimits__ManagementTenantPermits"] = "1000000",
            ["Identity__Local__DevelopmentPasswordHashIterations"] = AppFactory.TestHashIterations.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        HostCount.ChildStarted();
        var app = new ChildApp(ChildProcess.Start(nativeBinary ?? "dotnet", nativeBinary is null ? [typeof(Program).Assembly.Location] : [], dataDirectory, environment), baseAddress);
        try
        {
            using var client = app.Client();
            await app._process.WaitUntilAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, "The app", TimeSpan.FromSeconds(60));
        }
        catch
        {
            app.Dispose();
            throw;
        }

        return app;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or a Lambda that is frozen and discarded.</summary>
    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();
}
