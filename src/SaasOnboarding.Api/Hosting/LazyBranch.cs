namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// <see cref="UseWhenExtensions.UseWhen"/> with its branch built by the first request that takes it, not while the
/// app starts: a start that is never asked for Swagger UI or a page does not construct their middleware (their
/// embedded-file index, content-type table and file providers), which is start-up time on Lambda.
/// </summary>
public static class LazyBranch
{
    public static IApplicationBuilder UseWhenFirstNeeded(this IApplicationBuilder app, Func<HttpContext, bool> predicate, Action<IApplicationBuilder> configuration)
    {
        return app.Use(next =>
        {
            var branch = new Lazy<RequestDelegate>(() =>
            {
                var builder = app.New();
                configuration(builder);
                builder.Run(next);
                return builder.Build();
            });
            return context => predicate(context) ? branch.Value(context) : next(context);
        });
    }
}
