namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Links to resources, built from the name of the route that reads them: they carry the request's public base path
/// (an API Gateway stage, <c>Hosting:PathBase</c>) and escape their values, wherever they are made.
/// </summary>
public static class ResourceLinks
{
    /// <summary>The path, under the public base path, of the named route with these values.</summary>
    public static string PathTo(HttpContext context, string routeName, RouteValueDictionary values) =>
        context.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(context, routeName, values)
            ?? throw new InvalidOperationException($"No route named {routeName} takes the values {string.Join(", ", values.Keys)}.");
}
