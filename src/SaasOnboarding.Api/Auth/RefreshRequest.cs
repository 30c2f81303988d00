namespace SaasOnboarding.Api.Auth;

public sealed record RefreshRequest(string? RefreshToken, string? Pool);
