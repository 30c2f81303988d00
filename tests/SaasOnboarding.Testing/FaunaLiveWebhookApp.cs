namespace SaasOnboarding.Testing;

/// <summary>The app on a real Fauna node (<see cref="FaunaLiveApp"/>) with <see cref="WebhookSettings.Fast"/>; skipped without one.</summary>
public sealed class FaunaLiveWebhookApp() : FaunaLiveApp(WebhookSettings.Fast());
