namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// The browser pages in <c>wwwroot</c>: sign-in, sign-up, the provider console and the tenant app. Plain files, no
/// build step; they call the API with URLs relative to themselves, so they also work under a stage prefix.
/// </summary>
public static class Pages
{
    /// <summary>
    /// Scripts and styles only from files of this app, never inline; no framing; fetches only to this app.
    /// <c>img-src data:</c> lets CSS draw small icons without extra files.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Swagger UI's: <see cref="ContentSecurityPolicy"/> with inline styles allowed (its renderer sets style
    /// attributes). Inline styles cannot run script; scripts stay limited to this app's files.
    /// </summary>
    public const string SwaggerUiContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// In Development, as the full (not slim) builder does: a built but unpublished app has no <c>wwwroot</c> beside it,
    /// and reads the project's through the static web assets manifest the build puts there.
    /// </summary>
    public static WebApplicationBuilder AddBrowserPages(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.WebHost.UseStaticWebAssets();
        }

        return builder;
    }

    /// <summary>Static files go before authentication, like Swagger UI: they are public and carry no data.</summary>
    public static WebApplication UseBrowserPages(this WebApplication app)
    {
        // Only GET and HEAD requests for "/" or a file name (a last segment with a dot) look for a file: API routes
        // have neither, so they pay no file-system lookup. The file middleware is built by the first
        // such request, not at start.
        app.UseWhenFirstNeeded(IsPageRequest, pages =>
        {
            pages.UseDefaultFiles();
            pages.UseStaticFiles(new StaticFileOptions
            {
                OnPrepareResponse = context => AddSecurityHeaders(context.Context.Response.Headers),
            });
        });
        return app;
    }

    private static bool IsPageRequest(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        var path = context.Request.Path.Value;
        return string.IsNullOrEmpty(path) || path == "/" || path.AsSpan(path.LastIndexOf('/') + 1).Contains('.');
    }

    internal static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        AddBrowserPolicy(headers);

        // Revalidate every time (ETag answers 304): a deployment's pages and modules are never mixed with old ones.
        headers.CacheControl = "no-cache";
    }

    /// <summary>What every page this app serves carries, its own and Swagger UI's: scripts, frames and referrers.</summary>
    internal static void AddBrowserPolicy(IHeaderDictionary headers, string contentSecurityPolicy = ContentSecurityPolicy)
    {
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
