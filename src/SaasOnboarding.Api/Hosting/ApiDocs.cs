using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SaasOnboarding.Api.Hosting;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>.</summary>
public static class ApiDocs
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string BearerSchemeName = "Bearer";

    public static WebApplicationBuilder AddApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "SaasOnboarding API",
                    Version = "v1",
                    Description = "Tenant sign-up, tenant and user management, and each tenant's products and orders. " +
                        "Get an ID token from POST /auth/signin and paste it into Authorize.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An ID token (not an access token) from POST /auth/signin: its idToken field.",
                };
                return Task.CompletedTask;
            });
            // Money is decimal, never a binary float: say so instead of the default "double".
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(decimal) || context.JsonTypeInfo.Type == typeof(decimal?))
                {
                    schema.Format = "decimal";

                    // A property read by its own converter (a product's exact price) gets no type of its own.
                    schema.Type ??= context.JsonTypeInfo.Type == typeof(decimal?) ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number;
                }

                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(ApiContract.DescribeAsync);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                {
                    return Task.CompletedTask;
                }

                // The group's policy comes first, an endpoint's narrower one after it: name the narrowest.
                var policy = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).LastOrDefault(name => name is not null);
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeName, context.Document)] = [] }];
                operation.Description = (operation.Description is null ? string.Empty : operation.Description + "\n\n") +
                    $"Requires an ID token; policy: {policy ?? "any signed-in user"}.";
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        return app;
    }

    /// <summary>Swagger UI is static content: it goes before authentication, like any public page.</summary>
    public static WebApplication UseSwaggerPages(this WebApplication app)
    {
        // Only requests under /swagger reach it: it matches every path it sees against regular expressions, which
        // would slow the first request after a start. It is built by the first
        // of them, not at start (its embedded-file index).
        app.UseWhenFirstNeeded(
            context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase),
            swagger => swagger.Use((context, next) =>
            {
                // The app's own pages' browser policy, but for inline styles, which Swagger UI's renderer writes
                // as it opens an operation. Its scripts are all files served from here, none inline.
                Pages.AddBrowserPolicy(context.Response.Headers, Pages.SwaggerUiContentSecurityPolicy);
                return next(context);
            }).UseSwaggerUI(options =>
            {
                // Relative, so that it also resolves under an API Gateway stage prefix.
                options.SwaggerEndpoint("../openapi/v1.json", "SaasOnboarding API v1");
                options.RoutePrefix = "swagger";
                options.DocumentTitle = "SaasOnboarding API";
                options.EnablePersistAuthorization();
            }));
        return app;
    }
}
