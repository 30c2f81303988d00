namespace SaasOnboarding.Api.Auth;

/// <summary>The workshop's challenge answer: the first sign-in with a temporary password must set a new one.</summary>
public sealed record ChallengeResponse(string ChallengeName, string Session)
{
    public const string NewPasswordRequired = "NEW_PASSWORD_REQUIRED";
}
