using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Request bodies are small JSON documents; anything larger answers 413 before it is read. An endpoint that takes
/// more names its own limit with <see cref="LargeRequestBody"/>: the tenant import takes up to
/// <see cref="MaxImportBytes"/>.
/// </summary>
public static class RequestSizeLimit
{
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>An export bundle sent to <c>POST /tenants/import</c>: 256 MiB.</summary>
    public const long MaxImportBytes = 256L * 1024 * 1024;

    public static WebApplication UseRequestSizeLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var maxBytes = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }

            if (context.Request.ContentLength > maxBytes)
            {
                await Results.Problem(
                        statusCode: StatusCodes.Status413PayloadTooLarge,
                        title: "Request body too large",
                        detail: $"This request's body may have at most {maxBytes} bytes.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }
}

/// <summary>An endpoint's own body limit, in place of <see cref="RequestSizeLimit.MaxBodyBytes"/>.</summary>
public sealed class LargeRequestBody(long maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}
