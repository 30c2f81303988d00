namespace SaasOnboarding.Api.Identity;

/// <summary>The start of a TOTP set-up: the secret for the user's authenticator app, and the session that verifies its first code.</summary>
public sealed record MfaSetup(string SecretCode, string Session);
