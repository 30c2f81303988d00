namespace SaasOnboarding.Api.Identity.Cognito;

// The few shapes of Cognito's JSON 1.1 API this adapter reads, with the API reference's PascalCase names.
// Requests are written as anonymous objects beside each call; only answers need types.

internal sealed record CognitoAttribute(string Name, string? Value);

/// <summary>A user as <c>ListUsers</c>, <c>ListUsersInGroup</c> and <c>AdminCreateUser</c> answer it.</summary>
internal sealed record CognitoUser(
    string Username,
    IReadOnlyList<CognitoAttribute>? Attributes,
    bool Enabled,
    string? UserStatus,
    double? UserCreateDate);

/// <summary><c>AdminGetUser</c> names the attributes differently.</summary>
internal sealed record AdminGetUserResponse(
    string Username,
    IReadOnlyList<CognitoAttribute>? UserAttributes,
    bool Enabled,
    string? UserStatus,
    double? UserCreateDate);

internal sealed record AdminCreateUserResponse(CognitoUser User);

internal sealed record ListUsersInGroupResponse(IReadOnlyList<CognitoUser>? Users, string? NextToken);

internal sealed record ListUsersResponse(IReadOnlyList<CognitoUser>? Users, string? PaginationToken);

internal sealed record AuthenticationResult(string? IdToken, string? AccessToken, string? RefreshToken, int? ExpiresIn);

/// <summary>What <c>InitiateAuth</c> and <c>RespondToAuthChallenge</c> answer: tokens, or a challenge.</summary>
internal sealed record AuthResponse(string? ChallengeName, string? Session, AuthenticationResult? AuthenticationResult);

/// <summary>An answer whose body this adapter does not read.</summary>
internal sealed record EmptyResponse;
