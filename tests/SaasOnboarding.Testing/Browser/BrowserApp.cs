using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace SaasOnboarding.Testing;

/// <summary>
/// The real app on a loopback port (Kestrel, not TestServer: the browser needs a socket), with its own data
/// directory, and one headless Debian Chromium that every browser test opens its own contexts in. It delivers webhooks
/// to loopback addresses (<see cref="WebhookSettings.Delivery"/>), for the console's Webhooks page.
/// </summary>
public sealed class BrowserApp : AppFactory, IAsyncLifetime
{
    public const string ChromiumVariable = "SAAS_CHROMIUM";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserApp()
        : base(null, WebhookSettings.Delivery())
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Where the app listens, ending with a slash, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (string.IsNullOrWhiteSpace(chromium) || !File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"{ChromiumVariable} is '{chromium}', not a Chromium executable. The browser tests drive Debian's chromium: run " +
                "`eval \"$(scripts/services/chromium.sh start)\"` first (scripts/test.sh does it), which installs the package when it is missing.");
        }

        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
