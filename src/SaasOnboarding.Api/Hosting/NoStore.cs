namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// <c>Cache-Control: no-store</c> for answers that carry tokens or temporary passwords: no browser, proxy or CDN
/// keeps a copy of them.
/// </summary>
public static class NoStore
{
    public static TBuilder DisallowStoring<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            return next(context);
        });
}
