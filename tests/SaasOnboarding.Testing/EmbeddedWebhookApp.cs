namespace SaasOnboarding.Testing;

/// <summary>The embedded app with <see cref="WebhookSettings.Fast"/>.</summary>
public sealed class EmbeddedWebhookApp() : AppFactory(null, WebhookSettings.Fast());
