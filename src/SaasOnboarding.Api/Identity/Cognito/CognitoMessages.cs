using System.Text.Json.Serialization;

namespace SaasOnboarding.Api.Identity.Cognito;

// The few shapes of Cognito's JSON 1.1 API this adapter writes and reads, with the API reference's PascalCase names.
// Each is listed in CognitoJson: its JSON code is generated at build time (a Native AOT build has no reflection-based
// serializer), and a type missing there fails its first call in every test against cognito-local.

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
    double? UserCreateDate,
    IReadOnlyList<string>? UserMFASettingList = null);

internal sealed record AdminCreateUserResponse(CognitoUser User);

internal sealed record ListUsersInGroupResponse(IReadOnlyList<CognitoUser>? Users, string? NextToken);

internal sealed record ListUsersResponse(IReadOnlyList<CognitoUser>? Users, string? PaginationToken);

internal sealed record AuthenticationResult(string? IdToken, string? AccessToken, string? RefreshToken, int? ExpiresIn);

/// <summary>What <c>InitiateAuth</c> and <c>RespondToAuthChallenge</c> answer: tokens, or a challenge.</summary>
internal sealed record AuthResponse(string? ChallengeName, string? Session, AuthenticationResult? AuthenticationResult);

/// <summary>An answer whose body this adapter does not read.</summary>
internal sealed record EmptyResponse;

internal sealed record PoolRequest(string UserPoolId);

internal sealed record GroupRequest(string UserPoolId, string GroupName);

internal sealed record UserRequest(string UserPoolId, string Username);

internal sealed record UserGroupRequest(string UserPoolId, string Username, string GroupName);

internal sealed record AdminCreateUserRequest(
    string UserPoolId,
    string Username,
    IReadOnlyList<CognitoAttribute>? UserAttributes,
    IReadOnlyList<string> DesiredDeliveryMediums,
    string? MessageAction = null);

internal sealed record UpdateUserAttributesRequest(string UserPoolId, string Username, IReadOnlyList<CognitoAttribute> UserAttributes);

internal sealed record ListUsersInGroupRequest(string UserPoolId, string GroupName, int Limit, string? NextToken);

internal sealed record ListUsersRequest(string UserPoolId, int Limit, string? PaginationToken, string? Filter = null);

internal sealed record InitiateAuthRequest(string ClientId, string AuthFlow, IReadOnlyDictionary<string, string> AuthParameters);

internal sealed record RespondToAuthChallengeRequest(
    string ClientId, string ChallengeName, string Session, IReadOnlyDictionary<string, string> ChallengeResponses);

internal sealed record ChangePasswordRequest(string PreviousPassword, string ProposedPassword, string AccessToken);

internal sealed record AccessTokenRequest(string AccessToken);

internal sealed record ForgotPasswordRequest(string ClientId, string Username);

internal sealed record ConfirmForgotPasswordRequest(string ClientId, string Username, string ConfirmationCode, string Password);

/// <summary><c>AssociateSoftwareToken</c> and <c>VerifySoftwareToken</c> take the user's access token, or the session of an <c>MFA_SETUP</c> challenge.</summary>
internal sealed record AssociateSoftwareTokenRequest(string? AccessToken, string? Session);

internal sealed record AssociateSoftwareTokenResponse(string? SecretCode, string? Session);

internal sealed record VerifySoftwareTokenRequest(string? AccessToken, string? Session, string UserCode);

internal sealed record VerifySoftwareTokenResponse(string? Status, string? Session);

internal sealed record SoftwareTokenMfaSettings(bool Enabled, bool PreferredMfa);

internal sealed record SetUserMfaPreferenceRequest(string AccessToken, SoftwareTokenMfaSettings SoftwareTokenMfaSettings);

internal sealed record AdminSetUserMfaPreferenceRequest(string UserPoolId, string Username, SoftwareTokenMfaSettings SoftwareTokenMfaSettings);

/// <summary>JSON code for every message above; nulls are left out of requests, and answers are read in any case.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PoolRequest))]
[JsonSerializable(typeof(GroupRequest))]
[JsonSerializable(typeof(UserRequest))]
[JsonSerializable(typeof(UserGroupRequest))]
[JsonSerializable(typeof(AdminCreateUserRequest))]
[JsonSerializable(typeof(UpdateUserAttributesRequest))]
[JsonSerializable(typeof(ListUsersInGroupRequest))]
[JsonSerializable(typeof(ListUsersRequest))]
[JsonSerializable(typeof(InitiateAuthRequest))]
[JsonSerializable(typeof(RespondToAuthChallengeRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(AccessTokenRequest))]
[JsonSerializable(typeof(ForgotPasswordRequest))]
[JsonSerializable(typeof(ConfirmForgotPasswordRequest))]
[JsonSerializable(typeof(AssociateSoftwareTokenRequest))]
[JsonSerializable(typeof(AssociateSoftwareTokenResponse))]
[JsonSerializable(typeof(VerifySoftwareTokenRequest))]
[JsonSerializable(typeof(VerifySoftwareTokenResponse))]
[JsonSerializable(typeof(SetUserMfaPreferenceRequest))]
[JsonSerializable(typeof(AdminSetUserMfaPreferenceRequest))]
[JsonSerializable(typeof(AdminCreateUserResponse))]
[JsonSerializable(typeof(AdminGetUserResponse))]
[JsonSerializable(typeof(ListUsersInGroupResponse))]
[JsonSerializable(typeof(ListUsersResponse))]
[JsonSerializable(typeof(AuthResponse))]
internal sealed partial class CognitoJson : JsonSerializerContext;
