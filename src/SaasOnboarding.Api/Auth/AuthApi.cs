using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Auth;
/// <summary>
/// Sign-in for both pools: password, the first sign-in's new-password challenge, refresh, a forgotten password
/// reset with an emailed code, and a signed-in user's change of password.
/// </summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimits.Auth).DisallowStoring();
        group.MapPost("/signin", SignIn)
            .WithSummary("Sign in with user name (or email) and password")
            .WithDescription("Answers tokens, or a challenge: NEW_PASSWORD_REQUIRED at the first sign-in with a temporary password (answer it at /auth/new-password), SOFTWARE_TOKEN_MFA for a user with TOTP MFA on (/auth/mfa), MFA_SETUP for a SystemAdmin that must use MFA and has none yet (/auth/mfa/setup). Use idToken as the bearer token. " +
                "A right password of a user whose company is deactivated answers 403 with type `" + TenantDeactivatedType + "` (the local identity provider; with Cognito it is refused as any disabled user is, 401). An email address works in userName where it names exactly one user of the pool; one that several users share answers 400 asking for the user name (only when the password is right for one of them).");
        group.MapPost("/new-password", SetNewPassword)
            .WithSummary("Answer the NEW_PASSWORD_REQUIRED challenge")
            .WithDescription("Answers tokens, or the MFA_SETUP challenge for a SystemAdmin that must use MFA.");
        group.MapPost("/refresh", Refresh)
            .WithSummary("Get new ID and access tokens with a refresh token");
        group.MapPost("/forgot-password", ForgotPassword)
            .WithSummary("Email a code to reset a forgotten password")
            .WithDescription("Answers 202 whether or not the user exists, so that the answer tells nobody which accounts exist. Only a user that has signed in before gets a code; one that has not asks its admin to resend its invitation.");
        group.MapPost("/confirm-forgot-password", ConfirmForgotPassword)
            .WithSummary("Set a new password with the emailed code")
            .WithDescription("A code works once and for an hour; wrong codes use it up. The user's sessions end: its refresh tokens stop working.");

        // A signed-in user's own change: its token names the user, so it is not anonymous; limited like sign-in.
        endpoints.MapPost("/auth/change-password", ChangePassword)
            .WithTags("Auth")
            .RequireAuthorization(Policies.AnyUser)
            .RequireRateLimiting(RateLimits.Auth)
            .DisallowStoring()
            .WithSummary("Change the signed-in user's password")
            .WithDescription("Needs the current password. The user's other sessions end: its refresh tokens stop working; the ID token in use works until it expires.");
        return group;
    }

    /// <summary>The problem type of a right password whose company (tenant) is deactivated.</summary>
    public const string TenantDeactivatedType = "urn:saas-onboarding:problem:tenant-deactivated";

    public static async Task<Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem, ProblemHttpResult>> SignIn(
        SignInRequest request, IAuthenticator authenticator, IUserDirectory directory, ITenantCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
        AuditTrail.SetUser(http, request.UserName, pool);
        var userName = errors.Text("userName", request.UserName, required: true, maxLength: 128);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "This field is required.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (userName!.Contains('@', StringComparison.Ordinal) && await directory.GetUserAsync(pool!.Value, userName, cancellationToken) is null)
        {
            // Not a user name: an email address, which works where it names exactly one user of the pool.
            var named = await directory.FindUserNamesByEmailAsync(pool.Value, userName, 2, cancellationToken);
            if (named.Count > 1)
            {
                return await AskForUserNameAsync(pool.Value, named, request.Password!, authenticator, cancellationToken);
            }

            // None: the address itself goes on as a user name nobody has, and is refused as a wrong password is.
            userName = named.Count == 1 ? named[0] : userName;
            AuditTrail.SetUser(http, userName, pool);
        }

        SignInResult signedIn;
        try
        {
            signedIn = await authenticator.SignInAsync(pool!.Value, userName, request.Password!, cancellationToken);
        }
        catch (DirectoryException e) when (e.DisabledAfterRightPassword && pool == UserPool.Tenant)
        {
            // Only after a right password: a stranger learns nothing a wrong password would not tell.
            if (await directory.GetUserAsync(pool.Value, userName, cancellationToken) is { TenantId: { } tenantId }
                && await catalog.GetTenantAsync(tenantId, cancellationToken) is { IsActive: false })
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    type: TenantDeactivatedType,
                    title: "Your company account is deactivated",
                    detail: "Your provider has deactivated your company's account, so nobody of your company can sign in. Ask them to reactivate it.");
            }

            throw;
        }

        return signedIn.Tokens is { } tokens ? TypedResults.Ok(TokensOf(tokens)) : TypedResults.Ok(ChallengeOf(signedIn));
    }

    /// <summary>
    /// An email address that several users share names none of them. The answer asks for the user name only when
    /// the password is right for one of them, so that it tells a stranger nothing a wrong password would not. A wrong
    /// password counts against none of them (the local provider; each check is a sign-in on Cognito): otherwise one
    /// guess would count against every user sharing the address, and a few would lock them all out.
    /// </summary>
    private static async Task<ValidationProblem> AskForUserNameAsync(
        UserPool pool, IReadOnlyList<string> userNames, string password, IAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (await authenticator.IsPasswordOfAnyAsync(pool, userNames, password, cancellationToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["userName"] = ["This email address belongs to more than one user: sign in with your user name."],
            });
        }

        throw new DirectoryException(DirectoryError.NotAuthorized, "Incorrect username or password.");
    }

    public static async Task<Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem>> SetNewPassword(
        NewPasswordRequest request, IAuthenticator authenticator, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
        AuditTrail.SetUser(http, request.UserName, pool);
        var userName = errors.Text("userName", request.UserName, required: true, maxLength: 128);
        var session = errors.Text("session", request.Session, required: true, maxLength: 4096);
        if (string.IsNullOrEmpty(request.NewPassword))
        {
            errors.Add("newPassword", "This field is required.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return Answer(await authenticator.RespondToNewPasswordAsync(pool!.Value, userName!, session!, request.NewPassword!, cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem>> Refresh(
        RefreshRequest request, IAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
        var refreshToken = errors.Text("refreshToken", request.RefreshToken, required: true, maxLength: 8192);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return Answer(await authenticator.RefreshAsync(pool!.Value, refreshToken!, cancellationToken));
    }

    public static async Task<Results<Accepted, ValidationProblem>> ForgotPassword(
        ForgotPasswordRequest request, IAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
        var userName = errors.Text("userName", request.UserName, required: true, maxLength: 128);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await authenticator.ForgotPasswordAsync(pool!.Value, userName!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ValidationProblem>> ConfirmForgotPassword(
        ConfirmForgotPasswordRequest request, IAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
        var userName = errors.Text("userName", request.UserName, required: true, maxLength: 128);
        var code = errors.Text("code", request.Code, required: true, maxLength: 64);
        if (string.IsNullOrEmpty(request.NewPassword))
        {
            errors.Add("newPassword", "This field is required.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            await authenticator.ConfirmForgotPasswordAsync(pool!.Value, userName!, code!, request.NewPassword!, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.NotAuthorized)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = ["The code is wrong, used or expired. Ask for a new one with POST /auth/forgot-password."],
            });
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, UnauthorizedHttpResult>> ChangePassword(
        ChangePasswordRequest request, TenantContext caller, IAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (caller is not { Pool: { } pool, UserName: { } userName })
        {
            return TypedResults.Unauthorized();
        }

        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.PreviousPassword))
        {
            errors.Add("previousPassword", "This field is required.");
        }

        if (string.IsNullOrEmpty(request.NewPassword))
        {
            errors.Add("newPassword", "This field is required.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            await authenticator.ChangePasswordAsync(pool, userName, request.PreviousPassword!, request.NewPassword!, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.NotAuthorized)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["previousPassword"] = ["This is not the user's password, or too many wrong passwords were tried: wait, then try again."],
            });
        }

        return TypedResults.NoContent();
    }

    internal static Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem> Answer(SignInResult result) =>
        result.Tokens is { } tokens ? TypedResults.Ok(TokensOf(tokens)) : TypedResults.Ok(ChallengeOf(result));

    private static TokenResponse TokensOf(TokenSet tokens) => new(tokens.IdToken, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn, "Bearer");

    private static ChallengeResponse ChallengeOf(SignInResult result) => new(result.ChallengeName, result.Session!);

    internal static UserPool? ParsePool(string? pool, FieldErrors errors)
    {
        switch (pool?.Trim().ToUpperInvariant())
        {
            case null or "" or "TENANT":
                return UserPool.Tenant;
            case "OPERATIONS":
                return UserPool.Operations;
            default:
                errors.Add("pool", "Must be 'tenant' or 'operations'.");
                return null;
        }
    }
}
