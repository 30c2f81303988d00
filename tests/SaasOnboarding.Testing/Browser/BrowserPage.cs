using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace SaasOnboarding.Testing;

/// <summary>
/// One person's browser: a fresh context (its own sessionStorage), one page, screenshots saved as test artifacts (of
/// a failed step always, of every checked state when asked for), and a record of what would go unnoticed on screen:
/// script errors, Content-Security-Policy refusals, and requests that escape the stage prefix. When a test's steps
/// fail, the failure also says what the network did: requests that failed, pages and scripts that answered an error,
/// and requests still waiting for their answer.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    /// <summary>The two widths every browser test runs at: a wide screen's and a small phone's.</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    public static readonly ViewportSize Phone = new() { Width = 375, Height = 812 };

    /// <summary><see cref="Desktop"/> or <see cref="Phone"/> by its width: the parameter of a test run at both.</summary>
    public static ViewportSize At(int width) =>
        width == Desktop.Width ? Desktop : width == Phone.Width ? Phone : throw new ArgumentOutOfRangeException(nameof(width), width, "Not one of the two widths.");

    /// <summary>Whether this browser is at phone width, where the navigation is behind the "Menu" button.</summary>
    public bool IsPhone => Page.ViewportSize?.Width < 600;

    /// <summary>The prefix of a screenshot of docs/images/ taken at phone width: "phone-", or nothing.</summary>
    public string DocumentPrefix => IsPhone ? "phone-" : string.Empty;

    private readonly IBrowserContext _context;
    private readonly string _name;
    private readonly List<string> _problems = [];
    private readonly List<string> _requests = [];
    private readonly List<string> _network = [];
    private readonly Dictionary<IRequest, string> _pending = [];
    private int _shot;

    private BrowserPage(IBrowserContext context, IPage page, Uri root, string name)
    {
        _context = context;
        Page = page;
        Root = root;
        _name = name;
    }

    public IPage Page { get; }

    /// <summary>Where the pages are: the app's address, or that address plus the stage prefix.</summary>
    public Uri Root { get; }

    /// <summary>Every URL the page requested.</summary>
    public IReadOnlyList<string> Requests => _requests;

    public static string ScreenshotDirectory { get; } = Path.Combine(TestFigures.RepositoryRoot(), "artifacts", "screenshots");

    /// <summary>
    /// Opens a browser for one person. With <paramref name="stagePrefix"/> (such as <c>Prod</c>) the pages are
    /// served under <c>/Prod/</c> the way API Gateway does: the browser sees the prefix, the app does not; any
    /// request outside the prefix is refused and recorded as a problem.
    /// </summary>
    public static async Task<BrowserPage> OpenAsync(BrowserApp app, string name, ViewportSize? viewport = null, string? stagePrefix = null)
    {
        var phone = viewport == Phone;
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? Desktop,
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = 1,
            Locale = "en-GB",
            TimezoneId = "UTC",
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout(10_000);
        var root = stagePrefix is null ? app.BaseUrl : new Uri(app.BaseUrl, stagePrefix.Trim('/') + "/");
        var page = await context.NewPageAsync();
        var browser = new BrowserPage(context, page, root, name);
        if (Directory.Exists(ScreenshotDirectory))
        {
            foreach (var old in Directory.GetFiles(ScreenshotDirectory, name + "-??-*.png"))
            {
                File.Delete(old);
            }
        }

        page.PageError += (_, error) => browser._problems.Add("page error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) ||
                (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)))
            {
                browser._problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.Request += (_, request) =>
        {
            browser._requests.Add(request.Url);
            lock (browser._pending)
            {
                browser._pending[request] = $"{DateTime.UtcNow:HH:mm:ss.fff} {request.Method} {request.Url}";
            }
        };
        page.RequestFinished += (_, request) => browser.Settled(request, null);
        page.RequestFailed += (_, request) => browser.Settled(request, "failed (" + request.Failure + ")");
        page.Response += (_, response) =>
        {
            // API answers of 4xx are part of many tests; a page, script or style sheet that is not there is not.
            if (response.Status >= 500 || (response.Status >= 400 && response.Request.ResourceType is "document" or "script" or "stylesheet"))
            {
                browser.Settled(response.Request, "answered " + response.Status);
            }
        };

        if (stagePrefix is not null)
        {
            var app0 = app.BaseUrl.AbsoluteUri;
            var prefixed = root.AbsoluteUri;
            await context.RouteAsync("**/*", async route =>
            {
                var url = route.Request.Url;
                if (url.StartsWith(prefixed, StringComparison.Ordinal))
                {
                    var response = await route.FetchAsync(new RouteFetchOptions { Url = app0 + url[prefixed.Length..], MaxRedirects = 0 });
                    await route.FulfillAsync(new RouteFulfillOptions { Response = response });
                }
                else if (url.StartsWith(app0, StringComparison.Ordinal))
                {
                    browser._problems.Add("request outside the stage prefix: " + url);
                    await route.AbortAsync();
                }
                else
                {
                    await route.ContinueAsync();
                }
            });
        }

        return browser;
    }

    /// <summary>Opens a page by its path relative to <see cref="Root"/>.</summary>
    public Task<IResponse?> GotoAsync(string relative = "") => Page.GotoAsync(new Uri(Root, relative).AbsoluteUri);

    /// <summary>Set to 1 to save a screenshot of every state a test checks (<see cref="ScreenshotAsync"/>).</summary>
    public const string ScreenshotsVariable = "SAAS_SCREENSHOTS";

    /// <summary>
    /// Whether <see cref="ScreenshotAsync"/> saves anything: when <see cref="ScreenshotsVariable"/> or
    /// <see cref="RefreshScreenshotsVariable"/> is 1. The screenshot of a failed step is saved either way.
    /// </summary>
    public static bool SavesScreenshots { get; } =
        Environment.GetEnvironmentVariable(ScreenshotsVariable) == "1" || Environment.GetEnvironmentVariable(RefreshScreenshotsVariable) == "1";

    /// <summary>
    /// Saves a full-page screenshot as artifacts/screenshots/&lt;name&gt;-NN-&lt;step&gt;.png when
    /// <see cref="SavesScreenshots"/>; otherwise only counts the step.
    /// </summary>
    public Task ScreenshotAsync(string step)
    {
        if (SavesScreenshots)
        {
            return SaveScreenshotAsync(step);
        }

        _shot++;
        return Task.CompletedTask;
    }

    private async Task SaveScreenshotAsync(string step)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        _shot++;
        var path = Path.Combine(ScreenshotDirectory, $"{_name}-{_shot:00}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    /// <summary>Where <see cref="DocumentScreenshotAsync"/> writes: the screenshots of docs/browser-ui.md.</summary>
    public static string DocumentImageDirectory { get; } = Path.Combine(TestFigures.RepositoryRoot(), "docs", "images");

    /// <summary>Set to 1 to write the screenshots of docs/browser-ui.md (normal runs leave the tree alone).</summary>
    public const string RefreshScreenshotsVariable = "SAAS_REFRESH_SCREENSHOTS";

    /// <summary>
    /// Saves the page as it is now as docs/images/&lt;name&gt;.png, the viewport only, when
    /// <see cref="RefreshScreenshotsVariable"/> is 1; otherwise does nothing.
    /// </summary>
    public async Task DocumentScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable(RefreshScreenshotsVariable) != "1")
        {
            return;
        }

        Directory.CreateDirectory(DocumentImageDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DocumentImageDirectory, name + ".png"), Animations = ScreenshotAnimations.Disabled });
    }

    /// <summary>axe-core's script, as Deque.AxeCore.Commons bundles it.</summary>
    private static readonly string AxeScript = new BundledAxeScriptProvider().GetScript();

    /// <summary>
    /// Runs axe-core (WCAG 2.1 A and AA rules: labels, contrast, names, landmarks) on the page as it is now. The script
    /// goes into a document once, at its first check (the pages have no frames); each check is one <c>axe.run</c>,
    /// and only the violations come back.
    /// </summary>
    public async Task AssertAccessibleAsync()
    {
        var violations = await RunAxeAsync();
        if (violations is null)
        {
            await Page.EvaluateAsync("() => " + AxeScript);
            violations = await RunAxeAsync() ?? throw new InvalidOperationException("axe-core did not load into " + Page.Url);
        }

        Assert.True(violations.Length == 0, $"Accessibility problems on {Page.Url}:\n" + string.Join("\n", violations));
    }

    /// <summary>The violations axe-core finds, each in words with the nodes it names; null when the document has no axe-core yet.</summary>
    private Task<string[]?> RunAxeAsync() => Page.EvaluateAsync<string[]?>(
        """
        async tags => {
          if (typeof window.axe?.run !== 'function') {
            return null;
          }
          const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` + v.nodes.map(node => node.html).join(', '));
        }
        """,
        AxeTags);

    private static readonly string[] AxeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

    /// <summary>A page state a test reached: axe-core finds nothing (<see cref="AssertAccessibleAsync"/>), and a screenshot of it when asked for (<see cref="ScreenshotAsync"/>).</summary>
    public async Task CheckStateAsync(string step)
    {
        await AssertAccessibleAsync();
        await ScreenshotAsync(step);
    }

    /// <summary>No script error, no Content-Security-Policy refusal, no request outside the stage prefix.</summary>
    public void AssertNoProblems() =>
        Assert.True(_problems.Count == 0, "The browser reported:\n" + string.Join("\n", _problems));

    public Task<string?> SessionItemAsync(string key) => Page.EvaluateAsync<string?>("key => sessionStorage.getItem(key)", key);

    /// <summary>
    /// Runs a test's steps; when one fails, saves what each browser showed then, as "failed", and adds to the failure
    /// what each browser reported and what its network did.
    /// </summary>
    public static async Task StepsAsync(Func<Task> steps, params BrowserPage[] browsers)
    {
        try
        {
            await steps();
        }
        catch (Exception exception)
        {
            foreach (var browser in browsers)
            {
                await browser.SaveScreenshotAsync("failed");
            }

            // The app runs in this process: a starved thread pool (many tests blocking threads at once) would show here.
            var pool = $"{Environment.NewLine}Thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items waiting.";
            throw new BrowserStepsFailedException(
                exception.Message + Environment.NewLine + string.Concat(browsers.Select(browser => browser.Report())) + pool, exception);
        }
    }

    private void Settled(IRequest request, string? outcome)
    {
        lock (_pending)
        {
            if (_pending.Remove(request, out var started) && outcome is not null)
            {
                _network.Add($"{started} {outcome}");
            }
        }
    }

    private string Report()
    {
        lock (_pending)
        {
            var lines = _problems
                .Concat(_network)
                .Concat(_pending.Values.Select(started => started + " not finished when the step failed"))
                .ToList();
            return $"{Environment.NewLine}Browser '{_name}' at {Page.Url}:{Environment.NewLine}  " +
                (lines.Count == 0 ? "no script error, no failed request" : string.Join(Environment.NewLine + "  ", lines));
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}

/// <summary>A browser test's failure with what the browsers reported added to its message.</summary>
public sealed class BrowserStepsFailedException(string message, Exception inner) : Exception(message, inner);
