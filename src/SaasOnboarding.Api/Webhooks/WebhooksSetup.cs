using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Webhooks;

public static class WebhooksSetup
{
    /// <summary>The webhook settings (checked at start), the secrets, the sender and the dispatcher.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        var onLambda = LambdaEvents.OnLambda(builder.Configuration);
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .ValidateDuration($"{WebhookOptions.Section}:DispatchInterval", o => o.DispatchInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1))
            .ValidateDuration($"{WebhookOptions.Section}:Timeout", o => o.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2))
            .ValidateDuration($"{WebhookOptions.Section}:RetryDelay", o => o.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1))
            .ValidateDuration($"{WebhookOptions.Section}:MaxRetryDelay", o => o.MaxRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(7))
            .ValidateDuration($"{WebhookOptions.Section}:OutboxRetention", o => o.OutboxRetention, TimeSpan.Zero, TimeSpan.FromDays(3650))
            .ValidateDuration($"{WebhookOptions.Section}:OutboxPruneInterval", o => o.OutboxPruneInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, $"{WebhookOptions.Section}:MaxAttempts must be between 1 and 100.")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.SecretKey) || string.IsNullOrWhiteSpace(o.SecretKeyParameterName),
                $"Set at most one of {WebhookOptions.Section}:SecretKey and {WebhookOptions.Section}:SecretKeyParameterName.")

            // Each Lambda instance would make its own key file in /tmp, and could not open the secrets another sealed.
            .Validate(
                o => !onLambda || !string.IsNullOrWhiteSpace(o.SecretKey) || !string.IsNullOrWhiteSpace(o.SecretKeyParameterName),
                $"On AWS Lambda set {WebhookOptions.Section}:SecretKeyParameterName (or {WebhookOptions.Section}:SecretKey): a key file would be each instance's own.")
            .ValidateOnStart();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{WebhookOptions.Section}:SecretKeyParameterName"]))
        {
            builder.Services.AddSecureParameters(builder.Configuration);
        }

        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddBackgroundPass<WebhookDispatcher>();
        builder.Services.AddPeriodicPass<WebhookDispatcher>();
        builder.Services.AddBackgroundPass<OutboxPruning>();
        builder.Services.AddPeriodicPass<OutboxPruning>();
        return builder;
    }
}
