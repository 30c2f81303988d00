using Microsoft.AspNetCore.Http.Features;

namespace SaasOnboarding.Api.Hosting;

/// <summary>Request bodies are small JSON documents; anything larger answers 413 before it is read.</summary>
public static class RequestSizeLimit
{
    public const long MaxBodyBytes = 64 * 1024;

    public static WebApplication UseRequestSizeLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBodyBytes;
            }

            if (context.Request.ContentLength > MaxBodyBytes)
            {
                await Results.Problem(
                        statusCode: StatusCodes.Status413PayloadTooLarge,
                        title: "Request body too large",
                        detail: $"Request bodies may have at most {MaxBodyBytes} bytes.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }
}
