namespace SaasOnboarding.Api.Auth;

/// <summary>A sign-in challenge to answer before tokens are given (<see cref="Identity.Challenges"/>).</summary>
public sealed record ChallengeResponse(string ChallengeName, string Session);
