using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Identity.Cognito;

/// <summary>
/// The identity port over two Amazon Cognito user pools: the operations pool (provider staff) and the pooled
/// tenant pool (one group per tenant). Admin operations are signed; the sign-in flows use the pools' app clients.
/// </summary>
public sealed class CognitoUserDirectory : IUserDirectory, IAuthenticator, ITokenIssuers, IDisposable
{
    /// <summary>Prefixes of this adapter's TOTP set-up sessions: the user's access token, or Cognito's session of an <c>MFA_SETUP</c> challenge.</summary>
    private const string AccessTokenSetup = "a.";
    private const string ChallengeSetup = "s.";

    /// <summary>ListUsers and ListUsersInGroup answer at most 60 users a call.</summary>
    internal const int CognitoPageSize = 60;

    private static readonly string[] EmailDelivery = ["EMAIL"];

    private readonly CognitoClient _cognito;
    private readonly CognitoIdentityOptions _options;
    private readonly HttpClient _keysHttp;

    public CognitoUserDirectory(CognitoClient cognito, IOptions<CognitoIdentityOptions> options)
    {
        _cognito = cognito;
        _options = options.Value;

        // The JWKS client lives as long as the app (JwtBearer keeps the configuration manager): recycle its
        // connections so that DNS changes reach it.
        _keysHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(15) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Task CreateGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken) =>
        AdminWriteAsync("CreateGroup", new GroupRequest(PoolId(pool), groupName), cancellationToken);

    public Task DeleteGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken) =>
        AdminDeleteAsync("DeleteGroup", new GroupRequest(PoolId(pool), groupName), DirectoryError.GroupNotFound, cancellationToken);

    public async Task<DirectoryUser> CreateUserAsync(UserPool pool, NewDirectoryUser user, CancellationToken cancellationToken)
    {
        // No TemporaryPassword: Cognito generates one and emails it, with the user name, to the user.
        var answer = await _cognito.SendAsync<AdminCreateUserResponse>(
            "AdminCreateUser",
            new AdminCreateUserRequest(
                PoolId(pool),
                user.UserName,
                [
                    new CognitoAttribute("email", user.Email),
                    new CognitoAttribute("email_verified", "true"),
                    new CognitoAttribute(Auth.TokenClaims.TenantId, user.TenantId),
                    new CognitoAttribute(Auth.TokenClaims.UserRole, user.UserRole),
                ],
                EmailDelivery),
            CognitoCall.AdminWrite,
            cancellationToken);
        return ToDirectoryUser(answer.User.Username, answer.User.Attributes, answer.User.Enabled, answer.User.UserStatus, answer.User.UserCreateDate);
    }

    /// <summary><c>AdminCreateUser</c> with <c>MessageAction=RESEND</c>: Cognito makes a new temporary password and emails it.</summary>
    public Task ResendInvitationAsync(UserPool pool, string userName, CancellationToken cancellationToken) =>
        AdminWriteAsync(
            "AdminCreateUser",
            new AdminCreateUserRequest(PoolId(pool), userName, null, EmailDelivery, MessageAction: "RESEND"),
            cancellationToken);

    public Task AddUserToGroupAsync(UserPool pool, string userName, string groupName, CancellationToken cancellationToken) =>
        AdminWriteAsync("AdminAddUserToGroup", new UserGroupRequest(PoolId(pool), userName, groupName), cancellationToken);

    public async Task<DirectoryUser?> GetUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await _cognito.SendAsync<AdminGetUserResponse>(
                "AdminGetUser",
                new UserRequest(PoolId(pool), userName),
                CognitoCall.AdminRead,
                cancellationToken);
            return ToDirectoryUser(answer.Username, answer.UserAttributes, answer.Enabled, answer.UserStatus, answer.UserCreateDate);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.UserNotFound)
        {
            return null;
        }
    }

    public Task<Page<DirectoryUser>> ListUsersInGroupAsync(UserPool pool, string groupName, int limit, string? nextToken, CancellationToken cancellationToken) =>
        ListAsync(
            async (cognitoToken, token) =>
            {
                var answer = await _cognito.SendAsync<ListUsersInGroupResponse>(
                    "ListUsersInGroup",
                    new ListUsersInGroupRequest(PoolId(pool), groupName, CognitoPageSize, cognitoToken),
                    CognitoCall.AdminRead,
                    token);
                return (answer.Users ?? [], answer.NextToken);
            },
            limit,
            nextToken,
            cancellationToken);

    public Task<Page<DirectoryUser>> ListUsersAsync(UserPool pool, int limit, string? nextToken, CancellationToken cancellationToken) =>
        ListAsync(
            async (cognitoToken, token) =>
            {
                var answer = await _cognito.SendAsync<ListUsersResponse>(
                    "ListUsers",
                    new ListUsersRequest(PoolId(pool), CognitoPageSize, cognitoToken),
                    CognitoCall.AdminRead,
                    token);
                return (answer.Users ?? [], answer.PaginationToken);
            },
            limit,
            nextToken,
            cancellationToken);

    /// <summary>
    /// <c>ListUsers</c> with the filter <c>email = "…"</c>. An address that a filter string cannot hold as it is
    /// (a quote or a backslash) names nobody.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindUserNamesByEmailAsync(UserPool pool, string email, int limit, CancellationToken cancellationToken)
    {
        if (email.Any(c => c is '"' or '\\' || char.IsControl(c)))
        {
            return [];
        }

        var answer = await _cognito.SendAsync<ListUsersResponse>(
            "ListUsers",
            new ListUsersRequest(PoolId(pool), Math.Clamp(limit, 1, CognitoPageSize), null, $"email = \"{email}\""),
            CognitoCall.AdminRead,
            cancellationToken);
        return [.. (answer.Users ?? []).Select(user => user.Username).Take(limit)];
    }

    public async Task UpdateUserAsync(UserPool pool, string userName, string? email, string? userRole, CancellationToken cancellationToken)
    {
        var attributes = new List<CognitoAttribute>();
        if (email is not null)
        {
            // Set by an administrator, as at creation: marked verified so that password recovery reaches it.
            attributes.Add(new CognitoAttribute("email", email));
            attributes.Add(new CognitoAttribute("email_verified", "true"));
        }

        if (userRole is not null)
        {
            attributes.Add(new CognitoAttribute(Auth.TokenClaims.UserRole, userRole));
        }

        if (attributes.Count == 0)
        {
            // Nothing to change, but the contract still answers UserNotFound for a missing user.
            _ = await GetUserAsync(pool, userName, cancellationToken)
                ?? throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
            return;
        }

        await AdminWriteAsync("AdminUpdateUserAttributes", new UpdateUserAttributesRequest(PoolId(pool), userName, attributes), cancellationToken);
    }

    public Task SetUserEnabledAsync(UserPool pool, string userName, bool enabled, CancellationToken cancellationToken) =>
        AdminWriteAsync(enabled ? "AdminEnableUser" : "AdminDisableUser", new UserRequest(PoolId(pool), userName), cancellationToken);

    public Task DeleteUserAsync(UserPool pool, string userName, CancellationToken cancellationToken) =>
        AdminDeleteAsync("AdminDeleteUser", new UserRequest(PoolId(pool), userName), DirectoryError.UserNotFound, cancellationToken);

    /// <summary>An admin call that changes the pool and answers nothing.</summary>
    private async Task AdminWriteAsync(string action, object request, CancellationToken cancellationToken) =>
        await _cognito.SendAsync<EmptyResponse>(action, request, CognitoCall.AdminWrite, cancellationToken);

    /// <summary>An admin delete; already gone (<paramref name="gone"/>) counts as done, so that compensation may run twice.</summary>
    private async Task AdminDeleteAsync(string action, object request, DirectoryError gone, CancellationToken cancellationToken)
    {
        try
        {
            await AdminWriteAsync(action, request, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == gone)
        {
            // Already gone.
        }
    }

    /// <summary>Both pools answer: the credentials sign, and the configured pool ids exist.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        foreach (var pool in new[] { UserPool.Operations, UserPool.Tenant })
        {
            try
            {
                await _cognito.SendAsync<EmptyResponse>("DescribeUserPool", new PoolRequest(PoolId(pool)), CognitoCall.AdminRead, cancellationToken);
            }
            catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
            {
                throw new DirectoryException(DirectoryError.Unavailable, $"The {pool} user pool {PoolId(pool)} does not exist.", e);
            }
        }
    }

    public Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken) =>
        AuthenticateAsync(
            pool,
            "InitiateAuth",
            new InitiateAuthRequest(
                ClientId(pool),
                "USER_PASSWORD_AUTH",
                new Dictionary<string, string> { ["USERNAME"] = userName, ["PASSWORD"] = password }),
            // One answer for a wrong password and an unknown user, so that sign-in does not reveal which users exist.
            error => error is DirectoryError.UserNotFound or DirectoryError.InvalidPassword or DirectoryError.NotAuthorized,
            "Incorrect username or password.",
            cancellationToken);

    public Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken) =>
        AuthenticateAsync(
            pool,
            "RespondToAuthChallenge",
            new RespondToAuthChallengeRequest(
                ClientId(pool),
                Challenges.NewPasswordRequired,
                session,
                new Dictionary<string, string> { ["USERNAME"] = userName, ["NEW_PASSWORD"] = newPassword }),
            error => error is DirectoryError.UserNotFound,
            "Invalid session for the user.",
            cancellationToken);

    public Task<SignInResult> RefreshAsync(UserPool pool, string refreshToken, CancellationToken cancellationToken) =>
        AuthenticateAsync(
            pool,
            "InitiateAuth",
            new InitiateAuthRequest(
                ClientId(pool),
                "REFRESH_TOKEN_AUTH",
                new Dictionary<string, string> { ["REFRESH_TOKEN"] = refreshToken }),
            error => error is DirectoryError.UserNotFound or DirectoryError.NotAuthorized or DirectoryError.InvalidParameter,
            "Invalid Refresh Token.",
            cancellationToken);

    /// <summary>
    /// <c>ChangePassword</c> needs an access token of the user: a password sign-in with the previous password gets
    /// one (and proves the password), then <c>GlobalSignOut</c> ends the user's sessions, whose refresh tokens
    /// Cognito would otherwise keep honouring.
    /// </summary>
    public async Task ChangePasswordAsync(UserPool pool, string userName, string previousPassword, string newPassword, CancellationToken cancellationToken)
    {
        var signedIn = await SignInAsync(pool, userName, previousPassword, cancellationToken);
        var accessToken = signedIn.Tokens?.AccessToken
            ?? throw new DirectoryException(DirectoryError.NotAuthorized, "The user must finish signing in before it changes its password.");
        await _cognito.SendAsync<EmptyResponse>(
            "ChangePassword", new ChangePasswordRequest(previousPassword, newPassword, accessToken), CognitoCall.Public, cancellationToken);
        await _cognito.SendAsync<EmptyResponse>("GlobalSignOut", new AccessTokenRequest(accessToken), CognitoCall.Public, cancellationToken);
    }

    public async Task ForgotPasswordAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        try
        {
            await _cognito.SendAsync<EmptyResponse>("ForgotPassword", new ForgotPasswordRequest(ClientId(pool), userName), CognitoCall.Public, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error is DirectoryError.UserNotFound or DirectoryError.NotAuthorized or DirectoryError.InvalidParameter)
        {
            // An unknown user, one that may not reset its password (disabled, or still holding a temporary one), or one
            // without a verified address: the answer is the same as for a code sent.
        }
        catch (DirectoryException e) when (e.Error is DirectoryError.GroupNotFound)
        {
            throw MissingAppClient(pool, e);
        }
    }

    public Task ConfirmForgotPasswordAsync(UserPool pool, string userName, string code, string newPassword, CancellationToken cancellationToken) =>
        PublicCallAsync(
            pool,
            "ConfirmForgotPassword",
            new ConfirmForgotPasswordRequest(ClientId(pool), userName, code, newPassword),
            error => error is DirectoryError.UserNotFound or DirectoryError.NotAuthorized,
            "Invalid code provided, please request a code again.",
            cancellationToken);

    public async Task<bool> IsPasswordOfAnyAsync(UserPool pool, IReadOnlyList<string> userNames, string password, CancellationToken cancellationToken)
    {
        foreach (var userName in userNames)
        {
            try
            {
                await SignInAsync(pool, userName, password, cancellationToken);
                return true;
            }
            catch (DirectoryException e) when (e.Error == DirectoryError.NotAuthorized)
            {
                // Not this one's password.
            }
        }

        return false;
    }

    public Task<SignInResult> RespondToMfaAsync(UserPool pool, string userName, string session, string code, CancellationToken cancellationToken) =>
        AuthenticateAsync(
            pool,
            "RespondToAuthChallenge",
            new RespondToAuthChallengeRequest(
                ClientId(pool),
                Challenges.SoftwareTokenMfa,
                session,
                new Dictionary<string, string> { ["USERNAME"] = userName, ["SOFTWARE_TOKEN_MFA_CODE"] = code }),
            error => error is DirectoryError.UserNotFound or DirectoryError.NotAuthorized or DirectoryError.InvalidParameter,
            "Invalid code or session for the user.",
            cancellationToken);

    /// <summary>
    /// <c>AssociateSoftwareToken</c> needs the user's access token (a password sign-in gets one, and proves the
    /// password) or the session of an <c>MFA_SETUP</c> challenge; the session this answers carries whichever it
    /// was, for <see cref="CompleteMfaSetupAsync"/>.
    /// </summary>
    public async Task<MfaSetup> BeginMfaSetupAsync(UserPool pool, string userName, string? password, string? session, CancellationToken cancellationToken)
    {
        AssociateSoftwareTokenRequest request;
        if (password is not null)
        {
            var signedIn = await SignInAsync(pool, userName, password, cancellationToken);
            if (signedIn.ChallengeName == Challenges.SoftwareTokenMfa && signedIn.Tokens is null)
            {
                throw new DirectoryException(DirectoryError.InvalidParameter, "MFA is already on for this user: turn it off first.");
            }

            var accessToken = signedIn.Tokens?.AccessToken
                ?? throw new DirectoryException(DirectoryError.NotAuthorized, "The user must finish signing in before it sets up MFA.");
            request = new AssociateSoftwareTokenRequest(accessToken, null);
        }
        else
        {
            request = new AssociateSoftwareTokenRequest(null, session ?? throw new DirectoryException(DirectoryError.NotAuthorized, "Sign in again."));
        }

        var answer = await PublicAnswerAsync<AssociateSoftwareTokenResponse>(
            pool, "AssociateSoftwareToken", request, error => error is DirectoryError.NotAuthorized, "Invalid session for the user.", cancellationToken);
        var next = request.AccessToken is { } token ? AccessTokenSetup + token : ChallengeSetup + (answer.Session ?? session);
        return new MfaSetup(
            answer.SecretCode ?? throw new DirectoryException(DirectoryError.Unavailable, "Cognito answered AssociateSoftwareToken without a secret."),
            next);
    }

    /// <summary>
    /// <c>VerifySoftwareToken</c> with the set-up's access token or session. With the access token,
    /// <c>SetUserMFAPreference</c> then turns TOTP on; in an <c>MFA_SETUP</c> challenge, answering it finishes
    /// the set-up (its tokens are not used: the user signs in again, now with a code).
    /// </summary>
    public async Task CompleteMfaSetupAsync(UserPool pool, string userName, string session, string code, CancellationToken cancellationToken)
    {
        const string refusal = "Invalid code or session for the user.";
        static bool Refused(DirectoryError error) => error is DirectoryError.NotAuthorized or DirectoryError.InvalidParameter;
        if (session.StartsWith(AccessTokenSetup, StringComparison.Ordinal))
        {
            var accessToken = session[AccessTokenSetup.Length..];
            await PublicAnswerAsync<VerifySoftwareTokenResponse>(
                pool, "VerifySoftwareToken", new VerifySoftwareTokenRequest(accessToken, null, code), Refused, refusal, cancellationToken);
            await PublicAnswerAsync<EmptyResponse>(
                pool, "SetUserMFAPreference", new SetUserMfaPreferenceRequest(accessToken, new SoftwareTokenMfaSettings(true, true)), Refused, refusal, cancellationToken);
            return;
        }

        if (!session.StartsWith(ChallengeSetup, StringComparison.Ordinal))
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, refusal);
        }

        var verified = await PublicAnswerAsync<VerifySoftwareTokenResponse>(
            pool, "VerifySoftwareToken", new VerifySoftwareTokenRequest(null, session[ChallengeSetup.Length..], code), Refused, refusal, cancellationToken);
        await AuthenticateAsync(
            pool,
            "RespondToAuthChallenge",
            new RespondToAuthChallengeRequest(
                ClientId(pool), Challenges.MfaSetup, verified.Session ?? session[ChallengeSetup.Length..], new Dictionary<string, string> { ["USERNAME"] = userName }),
            Refused,
            refusal,
            cancellationToken);
    }

    /// <summary>
    /// A password sign-in proves the password (answering tokens, or the TOTP challenge when MFA is on); then
    /// <c>AdminSetUserMFAPreference</c> turns TOTP off. Cognito cannot check a code outside a sign-in, so a code
    /// alone does not do here.
    /// </summary>
    public async Task DisableMfaAsync(UserPool pool, string userName, string? password, string? code, CancellationToken cancellationToken)
    {
        if (password is null)
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Cognito needs the user's password to turn MFA off.");
        }

        _ = await SignInAsync(pool, userName, password, cancellationToken);
        await AdminWriteAsync(
            "AdminSetUserMFAPreference",
            new AdminSetUserMfaPreferenceRequest(PoolId(pool), userName, new SoftwareTokenMfaSettings(false, false)),
            cancellationToken);
    }

    public async Task<bool> MfaEnabledAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        var answer = await _cognito.SendAsync<AdminGetUserResponse>("AdminGetUser", new UserRequest(PoolId(pool), userName), CognitoCall.AdminRead, cancellationToken);
        return answer.UserMFASettingList?.Contains(Challenges.SoftwareTokenMfa) == true;
    }

    /// <summary>A call of the pool's app client whose answer this adapter reads; errors as <see cref="AuthenticateAsync"/> maps them.</summary>
    private async Task<T> PublicAnswerAsync<T>(
        UserPool pool, string action, object request, Func<DirectoryError, bool> refused, string refusal, CancellationToken cancellationToken)
    {
        try
        {
            return await _cognito.SendAsync<T>(action, request, CognitoCall.Public, cancellationToken);
        }
        catch (DirectoryException e) when (refused(e.Error))
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, refusal, e);
        }
        catch (DirectoryException e) when (e.Error is DirectoryError.GroupNotFound)
        {
            throw MissingAppClient(pool, e);
        }
    }

    /// <summary>A call of the pool's app client that answers nothing this adapter reads; errors as <see cref="AuthenticateAsync"/> maps them.</summary>
    private async Task PublicCallAsync(
        UserPool pool, string action, object request, Func<DirectoryError, bool> refused, string refusal, CancellationToken cancellationToken)
    {
        try
        {
            await _cognito.SendAsync<EmptyResponse>(action, request, CognitoCall.Public, cancellationToken);
        }
        catch (DirectoryException e) when (refused(e.Error))
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, refusal, e);
        }
        catch (DirectoryException e) when (e.Error is DirectoryError.GroupNotFound)
        {
            throw MissingAppClient(pool, e);
        }
    }

    /// <summary>
    /// A call of the pool's app client that answers tokens or a challenge. The errors <paramref name="refused"/>
    /// picks become NotAuthorized with <paramref name="refusal"/>; a missing app client is named as such.
    /// </summary>
    private async Task<SignInResult> AuthenticateAsync(
        UserPool pool, string action, object request, Func<DirectoryError, bool> refused, string refusal, CancellationToken cancellationToken)
    {
        try
        {
            return ToSignInResult(await _cognito.SendAsync<AuthResponse>(action, request, CognitoCall.Public, cancellationToken));
        }
        catch (DirectoryException e) when (refused(e.Error))
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, refusal, e);
        }
        catch (DirectoryException e) when (e.Error is DirectoryError.GroupNotFound)
        {
            throw MissingAppClient(pool, e);
        }
    }

    public PoolIssuer IssuerOf(UserPool pool) => new(pool, _options.IssuerOf(PoolId(pool)), ClientId(pool));

    /// <summary>
    /// The pool's published keys, through discovery (or, for a stand-in, its JWKS directly), from a configuration
    /// manager on its default schedule, which is also JwtBearer's; JwtBearer asks it again when a token names a key id
    /// it does not know, so a rotated key is picked up without a restart. A key the pool no longer publishes stops
    /// validating at that refresh ("last known good" fallback is off, or a retired key would be honoured for another
    /// hour).
    /// </summary>
    public PoolSigningKeys SigningKeysOf(UserPool pool)
    {
        var issuer = IssuerOf(pool).Issuer;
        var documents = new HttpDocumentRetriever(_keysHttp) { RequireHttps = !_options.UsesLoopbackStandIn() };
        ConfigurationManager<OpenIdConnectConfiguration> manager;
        if (string.IsNullOrWhiteSpace(_options.ServiceUrl))
        {
            manager = new ConfigurationManager<OpenIdConnectConfiguration>(
                issuer + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), documents);
        }
        else
        {
            // A stand-in: its discovery document is not used; its JWKS is read directly, where Cognito keeps it
            // (<issuer>/.well-known/jwks.json), so the stand-in may listen on any port (docs/identity-cognito.md).
            manager = new ConfigurationManager<OpenIdConnectConfiguration>(issuer + "/.well-known/jwks.json", new JwksRetriever(issuer), documents);
        }

        manager.UseLastKnownGoodConfiguration = false;
        return new PoolSigningKeys(null, manager);
    }

    public void Dispose() => _keysHttp.Dispose();

    /// <summary>Sign-in names no group: a missing resource there is the configured app client (a setting to fix, so 503).</summary>
    private DirectoryException MissingAppClient(UserPool pool, DirectoryException cause) =>
        new(DirectoryError.Unavailable, $"The {pool} app client {ClientId(pool)} does not exist.", cause);

    private string PoolId(UserPool pool) => pool == UserPool.Operations ? _options.OperationsUserPoolId : _options.TenantUserPoolId;

    private string ClientId(UserPool pool) => pool == UserPool.Operations ? _options.OperationsClientId : _options.TenantClientId;

    /// <summary>
    /// One page of at most <paramref name="limit"/> users. Our token holds Cognito's token for the page it came
    /// from and how many users of that page were already handed out, since Cognito's pages (60) and the caller's
    /// need not match. Cognito pages are fetched until the caller's page is full or the listing ends.
    /// </summary>
    private static async Task<Page<DirectoryUser>> ListAsync(
        Func<string?, CancellationToken, Task<(IReadOnlyList<CognitoUser> Users, string? NextToken)>> fetch,
        int limit,
        string? nextToken,
        CancellationToken cancellationToken)
    {
        limit = Math.Max(1, limit);
        string? cognitoToken = null;
        var skip = 0;
        if (nextToken is not null)
        {
            var keys = PageTokens.Decode(nextToken, 2);
            cognitoToken = keys[0].Length == 0 ? null : keys[0];
            if (!int.TryParse(keys[1], NumberStyles.None, CultureInfo.InvariantCulture, out skip))
            {
                throw new InvalidPageTokenException();
            }
        }

        var users = new List<DirectoryUser>();
        while (true)
        {
            var (page, next) = await fetch(cognitoToken, cancellationToken);
            var remaining = page.Skip(skip).ToList();
            var room = limit - users.Count;
            if (remaining.Count > room)
            {
                users.AddRange(remaining.Take(room).Select(ToDirectoryUser));
                return new Page<DirectoryUser>(users, PageTokens.Encode(cognitoToken ?? string.Empty, (skip + room).ToString(CultureInfo.InvariantCulture)));
            }

            users.AddRange(remaining.Select(ToDirectoryUser));
            if (string.IsNullOrEmpty(next))
            {
                return new Page<DirectoryUser>(users, null);
            }

            cognitoToken = next;
            skip = 0;
            if (users.Count == limit)
            {
                return new Page<DirectoryUser>(users, PageTokens.Encode(cognitoToken, "0"));
            }
        }
    }

    private static SignInResult ToSignInResult(AuthResponse answer)
    {
        if (answer.AuthenticationResult is { IdToken: { } idToken, AccessToken: { } accessToken } result)
        {
            return new SignInResult(new TokenSet(idToken, accessToken, result.RefreshToken, result.ExpiresIn ?? ExpiresIn(idToken)));
        }

        if (Challenges.All.Contains(answer.ChallengeName) && !string.IsNullOrEmpty(answer.Session))
        {
            return new SignInResult(null, answer.Session, answer.ChallengeName!);
        }

        if (!string.IsNullOrEmpty(answer.ChallengeName))
        {
            // SMS MFA, custom auth and the other challenges are pool settings this service does not answer.
            throw new DirectoryException(DirectoryError.Unavailable, $"Cognito asked for the {answer.ChallengeName} challenge, which this service does not answer.");
        }

        throw new DirectoryException(DirectoryError.Unavailable, "Cognito answered the sign-in with neither tokens nor a challenge.");
    }

    /// <summary>Seconds the ID token lives, for an answer without <c>ExpiresIn</c>.</summary>
    private static int ExpiresIn(string idToken)
    {
        var token = new JsonWebToken(idToken);
        return (int)Math.Max(0, (token.ValidTo - token.IssuedAt).TotalSeconds);
    }

    private static DirectoryUser ToDirectoryUser(CognitoUser user) =>
        ToDirectoryUser(user.Username, user.Attributes, user.Enabled, user.UserStatus, user.UserCreateDate);

    private static DirectoryUser ToDirectoryUser(
        string userName, IReadOnlyList<CognitoAttribute>? attributes, bool enabled, string? status, double? createdAt)
    {
        string? Attribute(string name) => attributes?.FirstOrDefault(a => a.Name == name)?.Value;
        return new DirectoryUser(
            userName,
            Attribute("email") ?? string.Empty,
            Attribute(Auth.TokenClaims.TenantId),
            Attribute(Auth.TokenClaims.UserRole),
            enabled,
            StatusOf(status),
            createdAt is { } seconds ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : DateTimeOffset.UnixEpoch);
    }

    /// <summary>Cognito's <c>UserStatus</c> in the directory's terms.</summary>
    internal static UserStatus StatusOf(string? status) => status switch
    {
        "CONFIRMED" => UserStatus.Confirmed,
        "FORCE_CHANGE_PASSWORD" => UserStatus.PasswordChangeRequired,
        "UNCONFIRMED" => UserStatus.Unconfirmed,
        "RESET_REQUIRED" => UserStatus.PasswordResetRequired,
        _ => UserStatus.Unknown,
    };

    /// <summary>Builds the validation configuration from a bare JWKS document, for stand-ins without a usable discovery document.</summary>
    private sealed class JwksRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var jwks = await retriever.GetDocumentAsync(address, cancel);
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JwksUri = address };
            configuration.JsonWebKeySet = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwks);
            foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
