using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Auth;

/// <summary>
/// TOTP multi-factor authentication: the sign-in's code step, the set-up of an authenticator app (QR code, first
/// code), turning it off, and whether it is on. Wrong codes count towards the lockout as wrong passwords do.
/// </summary>
public static class MfaApi
{
    private const string WrongCode = "The code is wrong or already used, the session has expired, or too many wrong codes were tried: wait, then try again.";

    public static IEndpointRouteBuilder MapMfaApi(this IEndpointRouteBuilder endpoints)
    {
        var anonymous = endpoints.MapGroup("/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimits.Auth).DisallowStoring();
        anonymous.MapPost("/mfa", RespondToMfa)
            .WithName("RespondToMfa")
            .WithSummary("Answer the SOFTWARE_TOKEN_MFA challenge with a code")
            .WithDescription("Sends the code the user's authenticator app shows now. A code is accepted once; a wrong one answers 401 and counts towards the lockout as a wrong password does. The session stays usable for another try until it expires.");
        anonymous.MapPost("/mfa/setup", BeginSetup)
            .WithName("BeginMfaSetup")
            .WithSummary("Start setting up TOTP MFA: a new secret and its QR code")
            .WithDescription("The user proves itself with its password, or with the session of a sign-in's MFA_SETUP challenge. Answers the secret, its otpauth URI, a QR code (PNG data URI) and the session to verify the first code in. 409 when MFA is already on.");
        anonymous.MapPost("/mfa/setup/verify", VerifySetup)
            .WithName("VerifyMfaSetup")
            .WithSummary("Turn TOTP MFA on with the first code of the new secret")
            .WithDescription("From then on, sign-in answers the SOFTWARE_TOKEN_MFA challenge. After an MFA_SETUP challenge, sign in again, now with a code.");

        var signedIn = endpoints.MapGroup("/auth").WithTags("Auth").RequireAuthorization(Policies.AnyUser).RequireRateLimiting(RateLimits.Auth).DisallowStoring();
        signedIn.MapGet("/mfa", Status)
            .WithName("GetMfaStatus")
            .WithSummary("Whether the signed-in user signs in with TOTP MFA");
        signedIn.MapPost("/mfa/disable", Disable)
            .WithName("DisableMfa")
            .WithSummary("Turn the signed-in user's TOTP MFA off")
            .WithDescription("Needs the user's password or a current code (on Cognito, the password).");
        return endpoints;
    }

    public static async Task<Results<Ok<TokenResponse>, Ok<ChallengeResponse>, ValidationProblem>> RespondToMfa(
        MfaCodeRequest request, IAuthenticator authenticator, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (pool, userName, session, code) = Fields(errors, request.Pool, request.UserName, request.Session, request.Code);
        AuditTrail.SetUser(http, request.UserName, pool);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return AuthApi.Answer(await authenticator.RespondToMfaAsync(pool!.Value, userName!, session!, code!, cancellationToken));
    }

    public static async Task<Results<Ok<MfaSetupResponse>, ValidationProblem, ProblemHttpResult>> BeginSetup(
        MfaSetupRequest request, IAuthenticator authenticator, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (pool, userName, session, _) = Fields(errors, request.Pool, request.UserName, request.Session, code: null, setup: true);
        AuditTrail.SetUser(http, request.UserName, pool);
        if (string.IsNullOrEmpty(request.Password) == (session is null))
        {
            errors.Add("password", "Send either the password or the session of an MFA_SETUP challenge.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        MfaSetup setup;
        try
        {
            setup = await authenticator.BeginMfaSetupAsync(pool!.Value, userName!, string.IsNullOrEmpty(request.Password) ? null : request.Password, session, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.InvalidParameter)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "MFA is on", detail: "Turn MFA off before setting up a new authenticator app.");
        }

        var uri = AuthenticatorQrCode.OtpauthUri(userName!, setup.SecretCode);
        return TypedResults.Ok(new MfaSetupResponse(setup.SecretCode, uri, AuthenticatorQrCode.PngDataUri(uri), setup.Session));
    }

    public static async Task<Results<NoContent, ValidationProblem>> VerifySetup(
        MfaVerifyRequest request, IAuthenticator authenticator, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (pool, userName, session, code) = Fields(errors, request.Pool, request.UserName, request.Session, request.Code);
        AuditTrail.SetUser(http, request.UserName, pool);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            await authenticator.CompleteMfaSetupAsync(pool!.Value, userName!, session!, code!, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.NotAuthorized)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = [WrongCode] });
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// The pool, user name, session and code of a request of the sign-in's MFA step or of the set-up, each checked into
    /// <paramref name="errors"/>. The set-up's start (<paramref name="setup"/>) has no code, and its session is optional
    /// (the password may prove the user instead).
    /// </summary>
    private static (UserPool? Pool, string? UserName, string? Session, string? Code) Fields(
        FieldErrors errors, string? pool, string? userName, string? session, string? code, bool setup = false) =>
        (AuthApi.ParsePool(pool, errors),
            errors.Text("userName", userName, required: true, maxLength: 128),
            errors.Text("session", session, required: !setup, maxLength: 4096),
            setup ? null : errors.Text("code", code, required: true, maxLength: 16));

    public static async Task<Results<Ok<MfaStatusResponse>, UnauthorizedHttpResult>> Status(
        TenantContext caller, IAuthenticator authenticator, CancellationToken cancellationToken) =>
        caller is { Pool: { } pool, UserName: { } userName }
            ? TypedResults.Ok(new MfaStatusResponse(await authenticator.MfaEnabledAsync(pool, userName, cancellationToken)))
            : TypedResults.Unauthorized();

    public static async Task<Results<NoContent, ValidationProblem, UnauthorizedHttpResult>> Disable(
        MfaDisableRequest request, TenantContext caller, IAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (caller is not { Pool: { } pool, UserName: { } userName })
        {
            return TypedResults.Unauthorized();
        }

        var errors = new FieldErrors();
        var code = errors.Text("code", request.Code, required: false, maxLength: 16);
        var password = string.IsNullOrEmpty(request.Password) ? null : request.Password;
        if (password is null && code is null)
        {
            errors.Add("password", "Send the password or a current code.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        try
        {
            await authenticator.DisableMfaAsync(pool, userName, password, code, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.NotAuthorized)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [password is null ? "code" : "password"] = [password is null ? WrongCode : "This is not the user's password, or too many wrong tries were made: wait, then try again."],
            });
        }

        return TypedResults.NoContent();
    }
}
