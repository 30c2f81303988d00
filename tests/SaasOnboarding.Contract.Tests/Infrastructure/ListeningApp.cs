namespace SaasOnboarding.Contract.Tests.Infrastructure;

/// <summary>
/// A <see cref="ChildApp"/> as a test fixture: the built app listening on a loopback port (Kestrel), started from an
/// empty folder that is not its own, as <c>dotnet /path/SaasOnboarding.Api.dll</c> would be. Subclasses add settings.
/// </summary>
public class ListeningApp : IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private ChildApp? _app;

    public ListeningApp()
        : this(new Dictionary<string, string>())
    {
    }

    protected ListeningApp(IDictionary<string, string> settings)
    {
        _settings = new Dictionary<string, string>(settings);
        WorkingDirectory = Directory.CreateTempSubdirectory("saas-contract-").FullName;
    }

    public Uri BaseAddress => App.BaseAddress;

    /// <summary>The folder the app is started in, which also holds its data.</summary>
    public string WorkingDirectory { get; }

    public string Output => _app?.Output ?? string.Empty;

    private ChildApp App => _app ?? throw new InvalidOperationException("The app has not started.");

    public HttpClient Client() => App.Client();

    public async Task InitializeAsync() => _app = await ChildApp.StartAsync(WorkingDirectory, _settings);

    public Task DisposeAsync()
    {
        _app?.Dispose();
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
