using System.Text.RegularExpressions;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>The browser pages as files over HTTP; the browser tests (Browser/) drive them in Chromium.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed partial class PagesTests(EmbeddedApp app)
{
    private static readonly string[] Pages = ["index.html", "signup.html", "admin.html", "app.html", "mailbox.html"];

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/signup.html")]
    [InlineData("/admin.html")]
    [InlineData("/app.html")]
    [InlineData("/js/api.js")]
    [InlineData("/js/admin/tenant.js")]
    [InlineData("/css/site.css")]
    public async Task PagesAndTheirFilesCarryTheSecurityHeaders(string path)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync(path);
        await response.ShouldBe(HttpStatusCode.OK);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/index.js")]
    public async Task SwaggerUiCarriesTheSameHeadersWithInlineStylesOnly(string path)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync(path);
        await response.ShouldBe(HttpStatusCode.OK);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task TheStartPageIsTheSignInPageWithASignUpPath()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1 id=\"signin-title\">Sign in</h1>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"signup.html\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModulesAreServedAsJavaScript()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/js/app.js");
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiAnswersAreUnchangedByThePages()
    {
        using var client = app.CreateClient();
        await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/no-such-page.html")).ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// The policy forbids inline script and style; this catches them in the files before a browser would refuse
    /// them, and any URL that starts with a slash (it would escape an API Gateway stage prefix).
    /// </summary>
    [Fact]
    public void PagesHaveNoInlineScriptStyleOrRootRelativeUrl()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "SaasOnboarding.Api", "wwwroot");
        foreach (var page in Pages)
        {
            var html = File.ReadAllText(Path.Combine(root, page));
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(StyleElementOrAttribute(), html);
            Assert.DoesNotMatch(EventHandlerAttribute(), html);
            Assert.DoesNotMatch(RootRelativeUrl(), html);
        }

        foreach (var module in Directory.GetFiles(Path.Combine(root, "js"), "*.js", SearchOption.AllDirectories))
        {
            var code = File.ReadAllText(module);
            Assert.DoesNotMatch(RootRelativeFetch(), code);
            // Text from the API goes in as text nodes; markup parsed from strings could carry a script.
            Assert.DoesNotContain(".innerHTML", code, StringComparison.Ordinal);
            Assert.DoesNotContain(".outerHTML", code, StringComparison.Ordinal);
            Assert.DoesNotContain("insertAdjacentHTML", code, StringComparison.Ordinal);
            Assert.DoesNotContain("document.write", code, StringComparison.Ordinal);
            Assert.DoesNotContain("localStorage", code, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A form submitted before its module has loaded (a fast Enter on a slow network) goes to the server as the
    /// browser would send it: as a GET, the password would land in the URL, the history and access logs.
    /// </summary>
    [Fact]
    public void FormsInThePagesPostWhenSubmittedBeforeTheirScriptLoads()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "SaasOnboarding.Api", "wwwroot");
        var forms = Pages.SelectMany(page => FormTag().Matches(File.ReadAllText(Path.Combine(root, page)))).Select(match => match.Value).ToList();
        Assert.NotEmpty(forms);
        Assert.All(forms, form => Assert.Contains("method=\"post\"", form, StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SaasOnboarding.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SaasOnboarding.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<form[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style|\\sstyle=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElementOrAttribute();

    [GeneratedRegex("\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex("(href|src|action)=\"/", RegexOptions.IgnoreCase)]
    private static partial Regex RootRelativeUrl();

    [GeneratedRegex("api\\('[A-Z]+', '/|fetch\\(['\"`]/")]
    private static partial Regex RootRelativeFetch();
}
