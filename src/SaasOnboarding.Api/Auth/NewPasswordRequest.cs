namespace SaasOnboarding.Api.Auth;

public sealed record NewPasswordRequest(string? UserName, string? Session, string? NewPassword, string? Pool);
