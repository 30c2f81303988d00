using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Cognito;

namespace SaasOnboarding.Identity.Tests.Cognito;

/// <summary>
/// The Cognito adapter against cognito-local. Nothing here relies on where cognito-local differs from Cognito
/// (a disabled user signing in, a wrong temporary password passing, unchecked sessions and password policy,
/// ignored page sizes, a repeated CreateGroup succeeding).
/// </summary>
public sealed class CognitoUserDirectoryTests : IClassFixture<CognitoLocalFixture>, IDisposable
{
    private readonly CognitoLocalFixture _cognito;
    private readonly ServiceProvider _services;
    private readonly CognitoUserDirectory _directory;
    private readonly string _tenantId = "t" + Guid.NewGuid().ToString("N")[..12];
    private bool _groupCreated;

    public CognitoUserDirectoryTests(CognitoLocalFixture cognito)
    {
        _cognito = cognito;
        _services = cognito.BuildServices();
        _directory = _services.GetRequiredService<CognitoUserDirectory>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void TheAppRegistersTheCognitoAdapterForEveryIdentityPort()
    {
        Assert.Same(_directory, _services.GetRequiredService<IUserDirectory>());
        Assert.Same(_directory, _services.GetRequiredService<IAuthenticator>());
        Assert.Same(_directory, _services.GetRequiredService<ITokenIssuers>());
    }

    [Fact]
    public async Task ANewTenantAdminWaitsForItsEmailedPasswordInItsTenantsGroup()
    {
        await _directory.CreateGroupAsync(UserPool.Tenant, _tenantId, default);
        var created = await _directory.CreateUserAsync(
            UserPool.Tenant, new NewDirectoryUser("tenant-admin-" + _tenantId, "owner@example.com", _tenantId, Roles.TenantAdmin), default);
        await _directory.AddUserToGroupAsync(UserPool.Tenant, created.UserName, _tenantId, default);

        Assert.Equal(UserStatus.PasswordChangeRequired, created.Status);
        var stored = await _directory.GetUserAsync(UserPool.Tenant, "tenant-admin-" + _tenantId, default);
        Assert.NotNull(stored);
        Assert.Equal(("owner@example.com", _tenantId, Roles.TenantAdmin, true), (stored.Email, stored.TenantId, stored.UserRole, stored.Enabled));
        Assert.Equal(UserStatus.PasswordChangeRequired, stored.Status);
        var members = await _directory.ListUsersInGroupAsync(UserPool.Tenant, _tenantId, 10, null, default);
        Assert.Equal(["tenant-admin-" + _tenantId], members.Items.Select(u => u.UserName));

        // The user lives in the tenant pool only.
        Assert.Null(await _directory.GetUserAsync(UserPool.Operations, "tenant-admin-" + _tenantId, default));
    }

    [Fact]
    public async Task AUserSetsUpTotpWithItsPasswordThenSignsInWithACodeAndAWrongCodeIsRefused()
    {
        var userName = await CreateTenantUserAsync("totp", Roles.TenantUser);
        await _cognito.SetPasswordAsync(UserPool.Tenant, userName, "Perman3nt#Pass", permanent: true);
        Assert.False(await _directory.MfaEnabledAsync(UserPool.Tenant, userName, default));

        var setup = await _directory.BeginMfaSetupAsync(UserPool.Tenant, userName, "Perman3nt#Pass", null, default);
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(setup.SecretCode));
        var wrong = await Assert.ThrowsAsync<DirectoryException>(() =>
            _directory.CompleteMfaSetupAsync(UserPool.Tenant, userName, setup.Session, WrongCode(totp), default));
        Assert.Equal(DirectoryError.NotAuthorized, wrong.Error);
        await _directory.CompleteMfaSetupAsync(UserPool.Tenant, userName, setup.Session, totp.ComputeTotp(DateTime.UtcNow), default);
        Assert.True(await _directory.MfaEnabledAsync(UserPool.Tenant, userName, default));

        var challenge = await _directory.SignInAsync(UserPool.Tenant, userName, "Perman3nt#Pass", default);
        Assert.Equal((null, Challenges.SoftwareTokenMfa), (challenge.Tokens, challenge.ChallengeName));
        var refused = await Assert.ThrowsAsync<DirectoryException>(() =>
            _directory.RespondToMfaAsync(UserPool.Tenant, userName, challenge.Session!, WrongCode(totp), default));
        Assert.Equal(DirectoryError.NotAuthorized, refused.Error);
        var signedIn = await _directory.RespondToMfaAsync(UserPool.Tenant, userName, challenge.Session!, totp.ComputeTotp(DateTime.UtcNow), default);
        Assert.Equal(userName, new JsonWebToken(signedIn.Tokens!.IdToken).GetClaim("cognito:username").Value);

        // A second authenticator is not set up over the first.
        var again = await Assert.ThrowsAsync<DirectoryException>(() => _directory.BeginMfaSetupAsync(UserPool.Tenant, userName, "Perman3nt#Pass", null, default));
        Assert.Equal(DirectoryError.InvalidParameter, again.Error);
    }

    /// <summary>A code that is wrong now and one step either side (cognito-local accepts 30 seconds of drift).</summary>
    private static string WrongCode(OtpNet.Totp totp)
    {
        var now = DateTime.UtcNow;
        string[] right = [totp.ComputeTotp(now.AddSeconds(-30)), totp.ComputeTotp(now), totp.ComputeTotp(now.AddSeconds(30))];
        return Enumerable.Range(1, 4).Select(i => (i * 123457).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(code => !right.Contains(code));
    }

    [Fact]
    public async Task FirstSignInAnswersTheNewPasswordChallengeAndGetsAnIdTokenWithTheTenantClaims()
    {
        var userName = await CreateTenantUserAsync("first", Roles.TenantAdmin);
        await _cognito.SetPasswordAsync(UserPool.Tenant, userName, "Tempor4ry#Pass", permanent: false);

        var challenge = await _directory.SignInAsync(UserPool.Tenant, userName, "Tempor4ry#Pass", default);
        Assert.Null(challenge.Tokens);
        Assert.True(challenge.NewPasswordRequired);
        Assert.False(string.IsNullOrEmpty(challenge.NewPasswordSession));

        var signedIn = await _directory.RespondToNewPasswordAsync(UserPool.Tenant, userName, challenge.NewPasswordSession!, "Chosen#Passw0rd", default);
        Assert.NotNull(signedIn.Tokens);
        var idToken = new JsonWebToken(signedIn.Tokens.IdToken);
        Assert.Equal(_directory.IssuerOf(UserPool.Tenant).Issuer, idToken.Issuer);
        Assert.Equal([_cognito.Options.TenantClientId], idToken.Audiences);
        Assert.Equal("id", idToken.GetClaim("token_use").Value);
        Assert.Equal(userName, idToken.GetClaim("cognito:username").Value);
        Assert.Equal(_tenantId, idToken.GetClaim("custom:tenantId").Value);
        Assert.Equal(Roles.TenantAdmin, idToken.GetClaim("custom:userRole").Value);
        Assert.Contains(idToken.Claims, c => c.Type == "cognito:groups" && c.Value == _tenantId);
        Assert.True(signedIn.Tokens.ExpiresIn > 0);

        Assert.Equal(UserStatus.Confirmed, (await _directory.GetUserAsync(UserPool.Tenant, userName, default))!.Status);
        var again = await _directory.SignInAsync(UserPool.Tenant, userName, "Chosen#Passw0rd", default);
        Assert.NotNull(again.Tokens);
    }

    [Fact]
    public async Task ARefreshTokenFromSignInGivesFreshTokensAndAForgedOneIsNotAuthorized()
    {
        var userName = await CreateTenantUserAsync("refresh", Roles.TenantUser);
        await _cognito.SetPasswordAsync(UserPool.Tenant, userName, "Perman3nt#Pass", permanent: true);
        var signedIn = await _directory.SignInAsync(UserPool.Tenant, userName, "Perman3nt#Pass", default);
        Assert.NotNull(signedIn.Tokens?.RefreshToken);

        var refreshed = await _directory.RefreshAsync(UserPool.Tenant, signedIn.Tokens.RefreshToken, default);

        Assert.NotNull(refreshed.Tokens);
        var idToken = new JsonWebToken(refreshed.Tokens.IdToken);
        Assert.Equal(userName, idToken.GetClaim("cognito:username").Value);
        Assert.Equal(_tenantId, idToken.GetClaim("custom:tenantId").Value);
        var forged = await Assert.ThrowsAsync<DirectoryException>(() => _directory.RefreshAsync(UserPool.Tenant, "not-a-refresh-token", default));
        Assert.Equal(DirectoryError.NotAuthorized, forged.Error);
    }

    [Fact]
    public async Task AForgottenPasswordIsResetWithTheCodeCognitoLocalIssuedAndAWrongCodeIsNotAuthorized()
    {
        var userName = await CreateTenantUserAsync("forgot", Roles.TenantUser);
        await _cognito.SetPasswordAsync(UserPool.Tenant, userName, "Perman3nt#Pass", permanent: true);

        await _directory.ForgotPasswordAsync(UserPool.Tenant, userName, default);
        await _directory.ForgotPasswordAsync(UserPool.Tenant, "nobody-" + _tenantId, default);
        var code = _cognito.ConfirmationCodeOf(UserPool.Tenant, userName);

        var wrong = await Assert.ThrowsAsync<DirectoryException>(() =>
            _directory.ConfirmForgotPasswordAsync(UserPool.Tenant, userName, code == "000000" ? "000001" : "000000", "R3set#Passw0rd", default));
        Assert.Equal(DirectoryError.NotAuthorized, wrong.Error);
        await _directory.ConfirmForgotPasswordAsync(UserPool.Tenant, userName, code, "R3set#Passw0rd", default);

        Assert.NotNull((await _directory.SignInAsync(UserPool.Tenant, userName, "R3set#Passw0rd", default)).Tokens);
    }

    [Fact]
    public async Task UsersAreFoundByTheirEmailAddressWithListUsersFilter()
    {
        string[] userNames = [$"one-{_tenantId}", $"two-{_tenantId}", $"three-{_tenantId}"];
        await _directory.CreateGroupAsync(UserPool.Tenant, _tenantId, default);
        _groupCreated = true;
        foreach (var (userName, email) in userNames.Zip([$"one-{_tenantId}@example.com", $"pair-{_tenantId}@example.com", $"pair-{_tenantId}@example.com"]))
        {
            await _directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(userName, email, _tenantId, Roles.TenantUser), default);
        }

        Assert.Equal([userNames[0]], await _directory.FindUserNamesByEmailAsync(UserPool.Tenant, $"one-{_tenantId}@example.com", 2, default));
        Assert.Equal(userNames[1..].Order(), (await _directory.FindUserNamesByEmailAsync(UserPool.Tenant, $"pair-{_tenantId}@example.com", 2, default)).Order());
        Assert.Empty(await _directory.FindUserNamesByEmailAsync(UserPool.Tenant, $"none-{_tenantId}@example.com", 2, default));
        Assert.Empty(await _directory.FindUserNamesByEmailAsync(UserPool.Tenant, "quote\"@example.com", 2, default));
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownUserAreTheSameNotAuthorized()
    {
        var userName = await CreateTenantUserAsync("wrong", Roles.TenantUser);
        await _cognito.SetPasswordAsync(UserPool.Tenant, userName, "Perman3nt#Pass", permanent: true);

        var wrong = await Assert.ThrowsAsync<DirectoryException>(() => _directory.SignInAsync(UserPool.Tenant, userName, "Wr0ng#Password", default));
        var unknown = await Assert.ThrowsAsync<DirectoryException>(() => _directory.SignInAsync(UserPool.Tenant, "nobody-" + _tenantId, "Wr0ng#Password", default));

        Assert.Equal(DirectoryError.NotAuthorized, wrong.Error);
        Assert.Equal(DirectoryError.NotAuthorized, unknown.Error);
        Assert.Equal(wrong.Message, unknown.Message);
    }

    [Fact]
    public async Task TheSystemAdminSignsInToTheOperationsPoolOnly()
    {
        var signedIn = await _directory.SignInAsync(UserPool.Operations, CognitoLocalFixture.AdminUserName, _cognito.AdminPassword, default);

        var idToken = new JsonWebToken(signedIn.Tokens!.IdToken);
        Assert.Equal(_directory.IssuerOf(UserPool.Operations).Issuer, idToken.Issuer);
        Assert.Equal(Roles.SystemAdmin, idToken.GetClaim("custom:userRole").Value);
        var otherPool = await Assert.ThrowsAsync<DirectoryException>(() =>
            _directory.SignInAsync(UserPool.Tenant, CognitoLocalFixture.AdminUserName, _cognito.AdminPassword, default));
        Assert.Equal(DirectoryError.NotAuthorized, otherPool.Error);
    }

    [Fact]
    public async Task ListingAGroupInSmallPagesReturnsEveryMemberOnce()
    {
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            expected.Add(await CreateTenantUserAsync("page" + i, Roles.TenantUser));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _directory.ListUsersInGroupAsync(UserPool.Tenant, _tenantId, 2, token, default);
            Assert.InRange(page.Items.Count, 0, 2);
            seen.AddRange(page.Items.Select(u => u.UserName));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Null(token);
        Assert.Equal(expected.Order(), seen.Order());
        Assert.True(pages >= 3, $"5 users in pages of 2 took {pages} page(s)");
    }

    [Fact]
    public async Task DisablingAndEnablingAUserShowsInItsRecord()
    {
        var userName = await CreateTenantUserAsync("toggle", Roles.TenantUser);

        await _directory.SetUserEnabledAsync(UserPool.Tenant, userName, false, default);
        Assert.False((await _directory.GetUserAsync(UserPool.Tenant, userName, default))!.Enabled);
        await _directory.SetUserEnabledAsync(UserPool.Tenant, userName, true, default);
        Assert.True((await _directory.GetUserAsync(UserPool.Tenant, userName, default))!.Enabled);
    }

    [Fact]
    public async Task UpdatingAUserChangesOnlyTheGivenAttributes()
    {
        var userName = await CreateTenantUserAsync("update", Roles.TenantUser);

        await _directory.UpdateUserAsync(UserPool.Tenant, userName, "new@example.com", null, default);
        var afterEmail = await _directory.GetUserAsync(UserPool.Tenant, userName, default);
        await _directory.UpdateUserAsync(UserPool.Tenant, userName, null, Roles.TenantAdmin, default);
        var afterRole = await _directory.GetUserAsync(UserPool.Tenant, userName, default);

        Assert.Equal(("new@example.com", Roles.TenantUser, _tenantId), (afterEmail!.Email, afterEmail.UserRole, afterEmail.TenantId));
        Assert.Equal(("new@example.com", Roles.TenantAdmin, _tenantId), (afterRole!.Email, afterRole.UserRole, afterRole.TenantId));
    }

    [Fact]
    public async Task CognitoRefusalsBecomeDirectoryErrors()
    {
        var userName = await CreateTenantUserAsync("errors", Roles.TenantUser);

        async Task<DirectoryError> ErrorOf(Func<Task> action) => (await Assert.ThrowsAsync<DirectoryException>(action)).Error;

        Assert.Equal(DirectoryError.UserExists, await ErrorOf(() =>
            _directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(userName, "again@example.com", _tenantId, Roles.TenantUser), default)));
        Assert.Equal(DirectoryError.UserNotFound, await ErrorOf(() => _directory.AddUserToGroupAsync(UserPool.Tenant, "missing-" + _tenantId, _tenantId, default)));
        Assert.Equal(DirectoryError.GroupNotFound, await ErrorOf(() => _directory.AddUserToGroupAsync(UserPool.Tenant, userName, "missing-" + _tenantId, default)));
        Assert.Equal(DirectoryError.GroupNotFound, await ErrorOf(() => _directory.ListUsersInGroupAsync(UserPool.Tenant, "missing-" + _tenantId, 10, null, default)));
        Assert.Equal(DirectoryError.UserNotFound, await ErrorOf(() => _directory.SetUserEnabledAsync(UserPool.Tenant, "missing-" + _tenantId, false, default)));
        Assert.Equal(DirectoryError.UserNotFound, await ErrorOf(() => _directory.UpdateUserAsync(UserPool.Tenant, "missing-" + _tenantId, null, null, default)));
        Assert.Null(await _directory.GetUserAsync(UserPool.Tenant, "missing-" + _tenantId, default));
    }

    [Fact]
    public async Task CompensationDeletesTheUserAndTheGroupAndMayRunTwice()
    {
        var userName = await CreateTenantUserAsync("undo", Roles.TenantAdmin);

        for (var run = 0; run < 2; run++)
        {
            await _directory.DeleteUserAsync(UserPool.Tenant, userName, default);
            await _directory.DeleteGroupAsync(UserPool.Tenant, _tenantId, default);
        }

        Assert.Null(await _directory.GetUserAsync(UserPool.Tenant, userName, default));
        var group = await Assert.ThrowsAsync<DirectoryException>(() => _directory.ListUsersInGroupAsync(UserPool.Tenant, _tenantId, 10, null, default));
        Assert.Equal(DirectoryError.GroupNotFound, group.Error);
    }

    [Fact]
    public async Task PingReachesBothPools()
    {
        await _directory.PingAsync(default);

        var misconfigured = _cognito.Options;
        using var services = _cognito.BuildServices(s => s.PostConfigure<CognitoIdentityOptions>(o => o.TenantUserPoolId = "local_missing"));
        var broken = await Assert.ThrowsAsync<DirectoryException>(() => services.GetRequiredService<IUserDirectory>().PingAsync(default));
        Assert.Equal(DirectoryError.Unavailable, broken.Error);
        Assert.Contains("local_missing", broken.Message, StringComparison.Ordinal);
        Assert.NotEqual("local_missing", misconfigured.TenantUserPoolId);
    }

    /// <summary>A user of this test's tenant group (made at the first call), created as the app creates users.</summary>
    private async Task<string> CreateTenantUserAsync(string name, string role)
    {
        if (!_groupCreated)
        {
            await _directory.CreateGroupAsync(UserPool.Tenant, _tenantId, default);
            _groupCreated = true;
        }

        var userName = $"{name}-{_tenantId}";
        await _directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(userName, name + "@example.com", _tenantId, role), default);
        await _directory.AddUserToGroupAsync(UserPool.Tenant, userName, _tenantId, default);
        return userName;
    }
}
