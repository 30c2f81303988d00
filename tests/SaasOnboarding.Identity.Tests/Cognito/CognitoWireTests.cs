using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Cognito;
using SaasOnboarding.Api.Users;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>What the Cognito adapter puts on the wire, and how it reads Cognito's answers, against an HTTP fake.</summary>
public sealed partial class CognitoWireTests
{
    [Fact]
    public async Task AdminRequestsCarryAValidSigV4SignatureForCognitoIdpInTheConfiguredRegion()
    {
        var fake = new FakeCognito((request, _) => request.Operation switch
        {
            "AdminCreateUser" => FakeCognito.Ok($$"""{"User":{{FakeCognito.User("alice")}}}"""),
            "AdminGetUser" => FakeCognito.Error(HttpStatusCode.BadRequest, "UserNotFoundException"),
            _ => FakeCognito.Ok(),
        });
        using var services = fake.BuildServices();
        var directory = services.GetRequiredService<IUserDirectory>();

        await directory.CreateGroupAsync(UserPool.Tenant, "tenant1", default);
        await directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser("alice", "alice@example.com", "tenant1", Roles.TenantAdmin), default);
        await directory.AddUserToGroupAsync(UserPool.Tenant, "alice", "tenant1", default);
        await directory.GetUserAsync(UserPool.Tenant, "alice", default);
        await directory.SetUserEnabledAsync(UserPool.Tenant, "alice", false, default);

        Assert.Equal(["CreateGroup", "AdminCreateUser", "AdminAddUserToGroup", "AdminGetUser", "AdminDisableUser"], fake.Requests.Select(r => r.Operation));
        foreach (var request in fake.Requests)
        {
            Assert.Equal(new Uri("https://cognito-idp.eu-central-1.amazonaws.com/"), request.Uri);
            Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
            var authorization = AuthorizationHeader().Match(request.Headers["Authorization"]);
            Assert.True(authorization.Success, request.Headers["Authorization"]);
            Assert.Equal(CognitoLocalFixture.TestCredentials.GetCredentials().AccessKey, authorization.Groups["key"].Value);
            Assert.Equal("eu-central-1", authorization.Groups["region"].Value);
            Assert.Equal("cognito-idp", authorization.Groups["service"].Value);
            var signed = authorization.Groups["signed"].Value.Split(';');
            Assert.Superset(new HashSet<string> { "content-type", "host", "x-amz-date", "x-amz-target" }, signed.ToHashSet());
            Assert.Equal(ExpectedSignature(request, signed, authorization.Groups["date"].Value), authorization.Groups["signature"].Value);
        }
    }

    [Fact]
    public async Task SessionCredentialsSendAndSignTheirSecurityToken()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok());
        using var services = fake.BuildServices(credentials: new SessionAWSCredentials("ASIASESSIONKEY", "session-secret", "the-session-token"));

        await services.GetRequiredService<IUserDirectory>().DeleteGroupAsync(UserPool.Tenant, "tenant1", default);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("the-session-token", request.Headers["X-Amz-Security-Token"]);
        Assert.Contains("x-amz-security-token", AuthorizationHeader().Match(request.Headers["Authorization"]).Groups["signed"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChallengeOtherThanANewPasswordIsNotPassedOnAsOne()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok("""{"ChallengeName":"SMS_MFA","Session":"s1","ChallengeParameters":{}}"""));
        using var services = fake.BuildServices();
        var authenticator = services.GetRequiredService<IAuthenticator>();

        var refused = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.SignInAsync(UserPool.Tenant, "bob", "Secret#Passw0rd", default));

        Assert.Equal(DirectoryError.Unavailable, refused.Error);
        Assert.Contains("SMS_MFA", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnMfaSetupChallengeIsAnsweredWithItsSessionsAsCognitoLocalCannot()
    {
        var fake = new FakeCognito((request, _) => request.Operation switch
        {
            "InitiateAuth" => FakeCognito.Ok("""{"ChallengeName":"MFA_SETUP","Session":"s1","ChallengeParameters":{}}"""),
            "AssociateSoftwareToken" => FakeCognito.Ok("""{"SecretCode":"JBSWY3DPEHPK3PXP","Session":"s2"}"""),
            "VerifySoftwareToken" => FakeCognito.Ok("""{"Status":"SUCCESS","Session":"s3"}"""),
            _ => FakeCognito.Ok("""{"AuthenticationResult":{"IdToken":"a.b.c","AccessToken":"a.b.c","RefreshToken":"r","ExpiresIn":3600}}"""),
        });
        using var services = fake.BuildServices();
        var authenticator = services.GetRequiredService<IAuthenticator>();

        var challenge = await authenticator.SignInAsync(UserPool.Operations, "admin", "Secret#Passw0rd", default);
        var setup = await authenticator.BeginMfaSetupAsync(UserPool.Operations, "admin", null, challenge.Session, default);
        await authenticator.CompleteMfaSetupAsync(UserPool.Operations, "admin", setup.Session, "123456", default);

        Assert.Equal((Challenges.MfaSetup, "s1"), (challenge.ChallengeName, challenge.Session));
        Assert.Equal("JBSWY3DPEHPK3PXP", setup.SecretCode);
        Assert.Equal(["InitiateAuth", "AssociateSoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge"], fake.Requests.Select(r => r.Operation));
        Assert.All(fake.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        var associate = fake.Requests[1].Body;
        Assert.Equal(("s1", null), ((string?)associate["Session"], (string?)associate["AccessToken"]));
        var verify = fake.Requests[2].Body;
        Assert.Equal(("s2", "123456"), ((string?)verify["Session"], (string?)verify["UserCode"]));
        var respond = fake.Requests[3].Body;
        Assert.Equal(("operationsclient1", "MFA_SETUP", "s3", "admin"), (
            (string?)respond["ClientId"], (string?)respond["ChallengeName"], (string?)respond["Session"], (string?)respond["ChallengeResponses"]!["USERNAME"]));
    }

    [Fact]
    public async Task TurningMfaOffProvesThePasswordThenSetsThePreferenceAsAnAdmin()
    {
        var fake = new FakeCognito((request, _) => request.Operation switch
        {
            "InitiateAuth" => FakeCognito.Ok("""{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s1","ChallengeParameters":{}}"""),
            _ => FakeCognito.Ok(),
        });
        using var services = fake.BuildServices();
        var authenticator = services.GetRequiredService<IAuthenticator>();

        var codeOnly = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.DisableMfaAsync(UserPool.Tenant, "bob", null, "123456", default));
        Assert.Equal(DirectoryError.NotAuthorized, codeOnly.Error);
        Assert.Empty(fake.Requests);

        await authenticator.DisableMfaAsync(UserPool.Tenant, "bob", "Secret#Passw0rd", null, default);

        Assert.Equal(["InitiateAuth", "AdminSetUserMFAPreference"], fake.Requests.Select(r => r.Operation));
        var preference = fake.Requests[1];
        Assert.True(preference.Headers.ContainsKey("Authorization"));
        Assert.Equal(("eu-central-1_Tenant1", "bob", false, false), (
            (string?)preference.Body["UserPoolId"],
            (string?)preference.Body["Username"],
            (bool)preference.Body["SoftwareTokenMfaSettings"]!["Enabled"]!,
            (bool)preference.Body["SoftwareTokenMfaSettings"]!["PreferredMfa"]!));
    }

    [Fact]
    public async Task SignInCallsAreUnsignedAndNameThePoolsAppClient()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok("""{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s1","ChallengeParameters":{}}"""));
        using var services = fake.BuildServices();
        var authenticator = services.GetRequiredService<IAuthenticator>();

        var result = await authenticator.SignInAsync(UserPool.Operations, "admin", "Secret#Passw0rd", default);
        await authenticator.RespondToNewPasswordAsync(UserPool.Tenant, "bob", "s1", "N3w#Password", default);

        Assert.Equal((true, "s1"), (result.NewPasswordRequired, result.NewPasswordSession));
        Assert.All(fake.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        var signIn = fake.Requests[0].Body;
        Assert.Equal(("InitiateAuth", "operationsclient1", "USER_PASSWORD_AUTH", "admin", "Secret#Passw0rd"), (
            fake.Requests[0].Operation,
            (string?)signIn["ClientId"],
            (string?)signIn["AuthFlow"],
            (string?)signIn["AuthParameters"]!["USERNAME"],
            (string?)signIn["AuthParameters"]!["PASSWORD"]));
        var respond = fake.Requests[1].Body;
        Assert.Equal(("RespondToAuthChallenge", "tenantclient1", "NEW_PASSWORD_REQUIRED", "s1", "bob", "N3w#Password"), (
            fake.Requests[1].Operation,
            (string?)respond["ClientId"],
            (string?)respond["ChallengeName"],
            (string?)respond["Session"],
            (string?)respond["ChallengeResponses"]!["USERNAME"],
            (string?)respond["ChallengeResponses"]!["NEW_PASSWORD"]));
    }

    [Fact]
    public async Task RegistrationCreatesTheTenantAdminWithItsAttributesAndAnEmailedPassword()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok($$"""{"User":{{FakeCognito.User("tenant-admin-t1", "t1")}}}"""));
        using var services = fake.BuildServices();

        await services.GetRequiredService<IUserDirectory>().CreateUserAsync(
            UserPool.Tenant, new NewDirectoryUser("tenant-admin-t1", "owner@example.com", "t1", Roles.TenantAdmin), default);

        var body = Assert.Single(fake.Requests).Body;
        Assert.Equal("eu-central-1_Tenant1", (string?)body["UserPoolId"]);
        Assert.Equal("tenant-admin-t1", (string?)body["Username"]);
        Assert.Equal(["EMAIL"], body["DesiredDeliveryMediums"]!.AsArray().Select(m => (string?)m));
        Assert.Null(body["TemporaryPassword"]);
        var attributes = body["UserAttributes"]!.AsArray().ToDictionary(a => (string)a!["Name"]!, a => (string?)a!["Value"]);
        Assert.Equal("owner@example.com", attributes["email"]);
        Assert.Equal("t1", attributes["custom:tenantId"]);
        Assert.Equal("TenantAdmin", attributes["custom:userRole"]);
    }

    [Fact]
    public async Task ListingAGroupFollowsNextTokenToTheEnd()
    {
        var members = Enumerable.Range(0, 130).Select(i => $"user{i:D3}").ToArray();
        var fake = new FakeCognito((request, _) =>
        {
            var start = (string?)request.Body["NextToken"] is { } token ? int.Parse(token[4..], CultureInfo.InvariantCulture) : 0;
            var limit = (int)request.Body["Limit"]!;
            var page = members.Skip(start).Take(limit).Select(m => JsonNode.Parse(FakeCognito.User(m))).ToArray();
            var answer = new JsonObject { ["Users"] = new JsonArray(page) };
            if (start + limit < members.Length)
            {
                answer["NextToken"] = $"page{start + limit}";
            }

            return FakeCognito.Ok(answer.ToJsonString());
        });
        using var services = fake.BuildServices();
        var directory = services.GetRequiredService<IUserDirectory>();

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? next = null;
        do
        {
            var page = await directory.ListUsersInGroupAsync(UserPool.Tenant, "tenant1", 50, next, default);
            seen.AddRange(page.Items.Select(u => u.UserName));
            pageSizes.Add(page.Items.Count);
            next = page.NextToken;
        }
        while (next is not null && pageSizes.Count < 10);

        Assert.Equal(members, seen);
        Assert.Equal([50, 50, 30], pageSizes);
        Assert.All(fake.Requests, r => Assert.Equal((60, "tenant1"), ((int)r.Body["Limit"]!, (string?)r.Body["GroupName"])));
        Assert.Contains(fake.Requests, r => (string?)r.Body["NextToken"] == "page120");
        Assert.All(seen, name => Assert.StartsWith("user", name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListingThePoolFollowsPaginationTokenToTheEnd()
    {
        var fake = new FakeCognito((request, _) => (string?)request.Body["PaginationToken"] switch
        {
            null => FakeCognito.Ok($$"""{"Users":[{{FakeCognito.User("a")}}],"PaginationToken":"p2"}"""),
            "p2" => FakeCognito.Ok($$"""{"Users":[{{FakeCognito.User("b")}}]}"""),
            _ => FakeCognito.Error(HttpStatusCode.BadRequest, "InvalidParameterException"),
        });
        using var services = fake.BuildServices();

        var page = await services.GetRequiredService<IUserDirectory>().ListUsersAsync(UserPool.Operations, 10, null, default);

        Assert.Equal(["a", "b"], page.Items.Select(u => u.UserName));
        Assert.Null(page.NextToken);
        Assert.All(fake.Requests, r => Assert.Equal("eu-central-1_Operations1", (string?)r.Body["UserPoolId"]));
    }

    [Theory]
    [InlineData("CONFIRMED", UserStatus.Confirmed, "CONFIRMED")]
    [InlineData("FORCE_CHANGE_PASSWORD", UserStatus.PasswordChangeRequired, "FORCE_CHANGE_PASSWORD")]
    [InlineData("UNCONFIRMED", UserStatus.Unconfirmed, "UNCONFIRMED")]
    [InlineData("RESET_REQUIRED", UserStatus.PasswordResetRequired, "RESET_REQUIRED")]
    [InlineData("COMPROMISED", UserStatus.Unknown, "UNKNOWN")]
    public async Task CognitosUserStatusIsReadInTheDirectorysTermsAndAnsweredInTheWorkshopsWords(string cognito, UserStatus status, string answered)
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok(
            $$"""{"Username":"alice","UserAttributes":[{"Name":"email","Value":"alice@example.com"}],"Enabled":true,"UserStatus":"{{cognito}}"}"""));
        using var services = fake.BuildServices();

        var user = await services.GetRequiredService<IUserDirectory>().GetUserAsync(UserPool.Tenant, "alice", default);

        Assert.Equal(status, user!.Status);
        Assert.Equal(answered, user.ToResponse().Status);
    }

    [Fact]
    public async Task AThrottledReadIsRetriedWithBackoffAndSucceeds()
    {
        var fake = new FakeCognito((_, attempt) => attempt <= 2
            ? FakeCognito.Error(HttpStatusCode.BadRequest, "TooManyRequestsException", "Too many requests")
            : FakeCognito.Ok("""{"Username":"alice","UserAttributes":[{"Name":"email","Value":"alice@example.com"}],"Enabled":true,"UserStatus":"CONFIRMED"}"""));
        using var services = fake.BuildServices();

        var user = await services.GetRequiredService<IUserDirectory>().GetUserAsync(UserPool.Tenant, "alice", default);

        Assert.Equal("alice@example.com", user?.Email);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task AReadThrottledBeyondItsRetriesIsThrottled()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, "TooManyRequestsException"));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IUserDirectory>().ListUsersInGroupAsync(UserPool.Tenant, "tenant1", 10, null, default));

        Assert.Equal(DirectoryError.Throttled, error.Error);
        Assert.Equal(1 + 3, fake.Requests.Count);
    }

    [Theory]
    [InlineData("TooManyRequestsException", HttpStatusCode.BadRequest, DirectoryError.Throttled)]
    [InlineData("InternalErrorException", HttpStatusCode.InternalServerError, DirectoryError.Unavailable)]
    public async Task AWriteIsNeverRetried(string type, HttpStatusCode status, DirectoryError expected)
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(status, type));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IUserDirectory>().CreateUserAsync(UserPool.Tenant, new NewDirectoryUser("bob", "bob@example.com", "t1", Roles.TenantUser), default));

        Assert.Equal(expected, error.Error);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task AServerErrorOnAReadIsRetriedThenUnavailable()
    {
        var fake = new FakeCognito((_, _) => (HttpStatusCode.ServiceUnavailable, "<html>Service Unavailable</html>"));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() => services.GetRequiredService<IUserDirectory>().GetUserAsync(UserPool.Tenant, "alice", default));

        Assert.Equal(DirectoryError.Unavailable, error.Error);
        Assert.Equal(4, fake.Requests.Count);
    }

    [Theory]
    [InlineData("com.amazonaws.cognito.identity.idp.model#UsernameExistsException", DirectoryError.UserExists)]
    [InlineData("UsernameExistsException", DirectoryError.UserExists)]
    [InlineData("GroupExistsException", DirectoryError.GroupExists)]
    [InlineData("InvalidParameterException", DirectoryError.InvalidParameter)]
    [InlineData("InvalidPasswordException", DirectoryError.InvalidPassword)]
    [InlineData("AccessDeniedException", DirectoryError.Unavailable)]
    public async Task CognitoErrorTypesMapToDirectoryErrors(string type, DirectoryError expected)
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, type, "Cognito says no"));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IUserDirectory>().CreateUserAsync(UserPool.Tenant, new NewDirectoryUser("bob", "bob@example.com", "t1", Roles.TenantUser), default));

        Assert.Equal(expected, error.Error);
        Assert.Equal(type[(type.LastIndexOf('#') + 1)..], Assert.IsType<CognitoException>(error.InnerException).ErrorType);
    }

    [Fact]
    public async Task CreatingAGroupPastThePoolsGroupQuotaIsLimitExceededWithoutRetries()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, "LimitExceededException", "The group limit of the user pool is reached."));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IUserDirectory>().CreateGroupAsync(UserPool.Tenant, "tenant10001", default));

        Assert.Equal(DirectoryError.LimitExceeded, error.Error);
        Assert.Equal("LimitExceededException", Assert.IsType<CognitoException>(error.InnerException).ErrorType);
        Assert.Equal(["CreateGroup"], fake.Requests.Select(request => request.Operation));
    }

    [Fact]
    public async Task UpdatingAMissingUserIsUserNotFoundAsCognitoAnswersIt()
    {
        // cognito-local answers NotAuthorized here; Cognito answers UserNotFoundException, which this checks.
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, "UserNotFoundException", "User does not exist."));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IUserDirectory>().UpdateUserAsync(UserPool.Tenant, "ghost", "ghost@example.com", null, default));

        Assert.Equal(DirectoryError.UserNotFound, error.Error);
    }

    [Fact]
    public async Task SignInOfAnUnknownDisabledOrWrongPasswordUserIsOneNotAuthorizedNeverRetried()
    {
        var fake = new FakeCognito((request, _) => (string?)request.Body["AuthParameters"]!["USERNAME"] switch
        {
            "ghost" => FakeCognito.Error(HttpStatusCode.BadRequest, "UserNotFoundException", "User does not exist."),
            "disabled" => FakeCognito.Error(HttpStatusCode.BadRequest, "NotAuthorizedException", "User is disabled."),
            _ => FakeCognito.Error(HttpStatusCode.BadRequest, "NotAuthorizedException", "Incorrect username or password."),
        });
        using var services = fake.BuildServices();
        var authenticator = services.GetRequiredService<IAuthenticator>();

        var unknown = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.SignInAsync(UserPool.Tenant, "ghost", "x", default));
        var disabled = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.SignInAsync(UserPool.Tenant, "disabled", "x", default));
        var wrong = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.SignInAsync(UserPool.Tenant, "alice", "x", default));

        Assert.All(new[] { unknown, disabled, wrong }, e => Assert.Equal((DirectoryError.NotAuthorized, wrong.Message), (e.Error, e.Message)));
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task AMissingAppClientIsAnOutageNotAMissingGroup()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "User pool client tenantclient1 does not exist."));
        using var services = fake.BuildServices();

        var error = await Assert.ThrowsAsync<DirectoryException>(() => services.GetRequiredService<IAuthenticator>().SignInAsync(UserPool.Tenant, "alice", "x", default));

        Assert.Equal(DirectoryError.Unavailable, error.Error);
        Assert.Contains("tenantclient1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNewPasswordChallengeReportsAPolicyRefusalAndAForgedSession()
    {
        var fake = new FakeCognito((request, _) => (string?)request.Body["Session"] == "forged"
            ? FakeCognito.Error(HttpStatusCode.BadRequest, "NotAuthorizedException", "Invalid session for the user, session is expired.")
            : FakeCognito.Error(HttpStatusCode.BadRequest, "InvalidPasswordException", "Password does not conform to policy: Password must have symbol characters"));
        using var services = fake.BuildServices();
        var authenticator = services.GetRequiredService<IAuthenticator>();

        var weak = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.RespondToNewPasswordAsync(UserPool.Tenant, "bob", "s1", "password", default));
        var forged = await Assert.ThrowsAsync<DirectoryException>(() => authenticator.RespondToNewPasswordAsync(UserPool.Tenant, "bob", "forged", "N3w#Password", default));

        Assert.Equal(DirectoryError.InvalidPassword, weak.Error);
        Assert.Contains("policy", weak.Message, StringComparison.Ordinal);
        Assert.Equal(DirectoryError.NotAuthorized, forged.Error);
    }

    /// <summary>SigV4 recomputed from what was sent (the canonical request of AWS's documentation), to show the
    /// signature covers the very body and headers on the wire.</summary>
    private static string ExpectedSignature(CapturedRequest request, string[] signedHeaders, string date)
    {
        var secret = CognitoLocalFixture.TestCredentials.GetCredentials().SecretKey;
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { ["host"] = request.Uri!.Authority };
        var body = Encoding.UTF8.GetBytes(request.RawBody);
        var canonical = string.Join('\n',
            "POST",
            "/",
            string.Empty,
            string.Concat(signedHeaders.Select(h => $"{h}:{headers[h].Trim()}\n")),
            string.Join(';', signedHeaders),
            headers["X-Amz-Content-SHA256"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), headers["X-Amz-Content-SHA256"]);
        var scope = $"{date}/{FakeCognito.Region}/cognito-idp/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{headers["X-Amz-Date"]}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, FakeCognito.Region, "cognito-idp", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z-]+)/aws4_request, SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();
}
