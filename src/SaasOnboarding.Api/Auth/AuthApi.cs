using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Auth;
/// <summary>Sign-in for both pools: password, the first sign-in's new-password challenge, and refresh.</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimits.Auth).DisallowStoring();
        group.MapPost("/signin", SignIn)
            .WithSummary("Sign in with user name and password")
            .WithDescription("Answers tokens, or a NEW_PASSWORD_REQUIRED challenge at the first sign-in with a temporary password. Use idToken as the bearer token.");
        group.MapPost("/new-password", SetNewPassword)
            .WithSummary("Answer the NEW_PASSWORD_REQUIRED challenge");
        group.MapPost("/refresh", Refresh)
            .WithSummary("Get new ID and access tokens with a refresh token");
        return group;
    }

    public static async Task<Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem>> SignIn(
        SignInRequest request, IAuthenticator authenticator, HttpContext http, CancellationToken cancellationToken)
    {
        AuditTrail.SetTarget(http, request.UserName);
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
        var userName = errors.Text("userName", request.UserName, required: true, maxLength: 128);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "This field is required.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return Answer(await authenticator.SignInAsync(pool!.Value, userName!, request.Password!, cancellationToken));
    }

    public static async Task<Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem>> SetNewPassword(
        NewPasswordRequest request, IAuthenticator authenticator, HttpContext http, CancellationToken cancellationToken)
    {
        AuditTrail.SetTarget(http, request.UserName);
        var errors = new FieldErrors();
        var pool = ParsePool(request.Pool, errors);
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

    private static Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem> Answer(SignInResult result) =>
        result.Tokens is { } tokens
            ? TypedResults.Ok(new TokenResponse(tokens.IdToken, tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn, "Bearer"))
            : TypedResults.Ok(new ChallengeResponse(ChallengeResponse.NewPasswordRequired, result.NewPasswordSession!));

    private static UserPool? ParsePool(string? pool, FieldErrors errors)
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
