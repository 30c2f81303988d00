namespace SaasOnboarding.Testing;

/// <summary>The PostgreSQL app with <see cref="WebhookSettings.Fast"/>.</summary>
public sealed class PostgresWebhookApp() : PostgresApp(WebhookSettings.Fast());
