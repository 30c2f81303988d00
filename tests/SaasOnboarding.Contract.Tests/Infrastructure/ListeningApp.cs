namespace SaasOnboarding.Contract.Tests.Infrastructure;

/// <summary>
/// The built app as its own process, listening on a loopback port (Kestrel), started from an empty folder that is
/// not its own: as <c>dotnet /path/SaasOnboarding.Api.dll</c> would be. Embedded storage and the local identity provider,
/// in the Development environment (the dev mailbox), with no issuer configured.
/// </summary>
public sealed class ListeningApp : IAsyncLifetime
{
    public const string AdminPassword = "Admin-Passw0rd!";

    private readonly Dictionary<string, string> _settings;
    private ChildProcess? _process;

    public ListeningApp()
        : this(new Dictionary<string, string>())
    {
    }

    internal ListeningApp(IDictionary<string, string> settings)
    {
        _settings = new Dictionary<string, string>(settings);
        WorkingDirectory = Directory.CreateTempSubdirectory("saas-contract-").FullName;
        Port = ChildProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>The folder the app is started in, which also holds its data.</summary>
    public string WorkingDirectory { get; }

    public string Output => _process?.Output ?? string.Empty;

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__Embedded__DataDirectory"] = WorkingDirectory,
            ["Identity__Local__DataDirectory"] = WorkingDirectory,
            ["Identity__Local__AdminPassword"] = AdminPassword,
            ["RateLimits__AuthPermits"] = "1000000",
            ["RateLimits__ManagementCallerPermits"] = "1000000",
            ["RateLimits__ManagementTenantPermits"] = "1000000",
            ["RateLimits__TenantPermits__Basic"] = "1000000",
        };
        foreach (var (key, value) in _settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = ChildProcess.Start("dotnet", [typeof(Program).Assembly.Location], WorkingDirectory, environment);
        using var client = Client();
        await _process.WaitUntilAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, "The app", TimeSpan.FromSeconds(60));
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the stopped process's last write: the temp folder is left behind.
        }

        return Task.CompletedTask;
    }
}
