namespace SaasOnboarding.Contract.Tests.Infrastructure;

/// <summary>
/// Stoplight Prism as a validating proxy in front of an app: <c>prism proxy &lt;document&gt; &lt;app&gt; --errors</c>. With
/// <c>--errors</c> a request or response the document does not allow is answered with Prism's own error (422, 401 or
/// 500) and an <c>sl-violations</c> header instead of the app's answer.
/// </summary>
public sealed class PrismProxy : IDisposable
{
    private readonly ChildProcess _process;

    private PrismProxy(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => _process.Output;

    public static async Task<PrismProxy> StartAsync(string document, Uri upstream)
    {
        var port = ChildProcess.FreePort();
        var process = ChildProcess.Start(
            RepositoryFiles.NodeTool("prism"),
            ["proxy", document, upstream.ToString().TrimEnd('/'), "--errors", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            RepositoryFiles.Root);
        var proxy = new PrismProxy(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await process.WaitUntilAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, "Prism", TimeSpan.FromSeconds(90));
        }
        catch
        {
            proxy.Dispose();
            throw;
        }

        return proxy;
    }

    public void Dispose() => _process.Dispose();
}
