using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>
/// The account-recovery calls of the Cognito adapter as they go on the wire, against an HTTP fake: those
/// cognito-local does not implement (<c>AdminCreateUser</c> with <c>MessageAction=RESEND</c>, <c>GlobalSignOut</c>),
/// and how Cognito's refusals of the others are read.
/// </summary>
public sealed class CognitoRecoveryWireTests
{
    [Fact]
    public async Task ResendingAnInvitationAsksAdminCreateUserToResendTheEmailSigned()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok($$"""{"User":{{FakeCognito.User("bob")}}}"""));
        using var services = fake.BuildServices();

        await services.GetRequiredService<IUserDirectory>().ResendInvitationAsync(UserPool.Tenant, "bob", default);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("AdminCreateUser", request.Operation);
        Assert.StartsWith("AWS4-HMAC-SHA256 ", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(("eu-central-1_Tenant1", "bob", "RESEND"), ((string?)request.Body["UserPoolId"], (string?)request.Body["Username"], (string?)request.Body["MessageAction"]));
        Assert.Equal(["EMAIL"], request.Body["DesiredDeliveryMediums"]!.AsArray().Select(m => (string?)m));
        Assert.Null(request.Body["UserAttributes"]);
        Assert.Null(request.Body["TemporaryPassword"]);
    }

    [Fact]
    public async Task UsersAreLookedUpByEmailWithASignedListUsersFilter()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Ok($$"""{"Users":[{{FakeCognito.User("bob")}}]}"""));
        using var services = fake.BuildServices();

        var found = await services.GetRequiredService<IUserDirectory>().FindUserNamesByEmailAsync(UserPool.Tenant, "bob@example.com", 2, default);

        Assert.Equal(["bob"], found);
        var request = Assert.Single(fake.Requests);
        Assert.Equal(("ListUsers", "email = \"bob@example.com\"", 2), (request.Operation, (string?)request.Body["Filter"], (int?)request.Body["Limit"]));
        Assert.StartsWith("AWS4-HMAC-SHA256 ", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingAPasswordSignsInWithTheOldOneChangesItWithThatAccessTokenAndSignsOutEverywhereUnsigned()
    {
        var fake = new FakeCognito((request, _) => request.Operation == "InitiateAuth"
            ? FakeCognito.Ok("""{"AuthenticationResult":{"IdToken":"id1","AccessToken":"access1","RefreshToken":"refresh1","ExpiresIn":3600}}""")
            : FakeCognito.Ok());
        using var services = fake.BuildServices();

        await services.GetRequiredService<IAuthenticator>().ChangePasswordAsync(UserPool.Operations, "admin", "Old#Passw0rd", "N3w#Passw0rd", default);

        Assert.Equal(["InitiateAuth", "ChangePassword", "GlobalSignOut"], fake.Requests.Select(r => r.Operation));
        Assert.All(fake.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        var signIn = fake.Requests[0].Body;
        Assert.Equal(("operationsclient1", "admin", "Old#Passw0rd"), ((string?)signIn["ClientId"], (string?)signIn["AuthParameters"]!["USERNAME"], (string?)signIn["AuthParameters"]!["PASSWORD"]));
        var change = fake.Requests[1].Body;
        Assert.Equal(("Old#Passw0rd", "N3w#Passw0rd", "access1"), ((string?)change["PreviousPassword"], (string?)change["ProposedPassword"], (string?)change["AccessToken"]));
        Assert.Equal("access1", (string?)fake.Requests[2].Body["AccessToken"]);
    }

    [Fact]
    public async Task AWrongPreviousPasswordIsNotAuthorizedAndNothingIsChanged()
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, "NotAuthorizedException", "Incorrect username or password."));
        using var services = fake.BuildServices();

        var refused = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IAuthenticator>().ChangePasswordAsync(UserPool.Tenant, "bob", "Wr0ng#Pass", "N3w#Passw0rd", default));

        Assert.Equal(DirectoryError.NotAuthorized, refused.Error);
        Assert.Equal("InitiateAuth", Assert.Single(fake.Requests).Operation);
    }

    [Theory]
    [InlineData("UserNotFoundException")]
    [InlineData("NotAuthorizedException")]
    [InlineData("InvalidParameterException")]
    public async Task ForgotPasswordAnswersTheSameForAUserCognitoWillNotSendACode(string type)
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, type));
        using var services = fake.BuildServices();

        await services.GetRequiredService<IAuthenticator>().ForgotPasswordAsync(UserPool.Tenant, "nobody", default);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(("ForgotPassword", "tenantclient1", "nobody"), (request.Operation, (string?)request.Body["ClientId"], (string?)request.Body["Username"]));
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("CodeMismatchException", DirectoryError.NotAuthorized)]
    [InlineData("ExpiredCodeException", DirectoryError.NotAuthorized)]
    [InlineData("TooManyFailedAttemptsException", DirectoryError.NotAuthorized)]
    [InlineData("UserNotFoundException", DirectoryError.NotAuthorized)]
    [InlineData("InvalidPasswordException", DirectoryError.InvalidPassword)]
    [InlineData("LimitExceededException", DirectoryError.Throttled)]
    public async Task ConfirmForgotPasswordRefusalsAreReadInTheDirectorysTerms(string type, DirectoryError expected)
    {
        var fake = new FakeCognito((_, _) => FakeCognito.Error(HttpStatusCode.BadRequest, type));
        using var services = fake.BuildServices();

        var refused = await Assert.ThrowsAsync<DirectoryException>(() =>
            services.GetRequiredService<IAuthenticator>().ConfirmForgotPasswordAsync(UserPool.Tenant, "bob", "123456", "N3w#Passw0rd", default));

        Assert.Equal(expected, refused.Error);
        var request = Assert.Single(fake.Requests);
        Assert.Equal(("ConfirmForgotPassword", "tenantclient1", "bob", "123456", "N3w#Passw0rd"), (
            request.Operation,
            (string?)request.Body["ClientId"],
            (string?)request.Body["Username"],
            (string?)request.Body["ConfirmationCode"],
            (string?)request.Body["Password"]));
    }
}
