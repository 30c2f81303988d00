using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>The local provider's discovery documents, JWKS, and (in Development only) the dev mailbox.</summary>
public static class LocalIdentityApi
{
    public static IEndpointRouteBuilder MapLocalIdentityApi(this IEndpointRouteBuilder endpoints, IHostEnvironment environment)
    {
        var wellKnown = endpoints.MapGroup("/local-idp/{poolId}/.well-known").WithTags("Local identity provider").AllowAnonymous();
        wellKnown.MapGet("/jwks.json", GetJwks).WithSummary("The pool's signing keys (JWKS)");
        wellKnown.MapGet("/openid-configuration", GetDiscoveryDocument).WithSummary("The pool's OpenID Connect discovery document");

        // It shows every new user's temporary password to anyone who asks: outside Development the route does not
        // exist, so it answers 404 like any unknown path.
        if (ServesMailbox(environment))
        {
            endpoints.MapGet("/dev/mailbox", GetMailbox).WithSummary("New users' temporary passwords, newest first (Development only)").WithTags("Local identity provider").AllowAnonymous().DisallowStoring();
        }

        return endpoints;
    }

    /// <summary>Whether <c>/dev/mailbox</c> is served: only when the host environment is Development.</summary>
    public static bool ServesMailbox(IHostEnvironment environment) => environment.IsDevelopment();

    /// <summary>The pool's own key only: one pool's key never verifies the other's tokens.</summary>
    public static Results<Ok<JwksDocument>, NotFound> GetJwks(string poolId, LocalTokenIssuer issuer, LocalSigningKey key) =>
        issuer.PoolById(poolId) is { } pool ? TypedResults.Ok(new JwksDocument([key.For(pool).Jwk()])) : TypedResults.NotFound();

    public static Results<Ok<DiscoveryDocument>, NotFound> GetDiscoveryDocument(string poolId, LocalTokenIssuer issuer)
    {
        if (issuer.PoolById(poolId) is not { } pool)
        {
            return TypedResults.NotFound();
        }

        // No authorization_endpoint: tokens come from POST /auth/signin, not from an OAuth authorization flow, and
        // naming an endpoint that does not exist would send a client to a 404.
                var issuerUrl = issuer.IssuerOf(pool).Issuer;
        return TypedResults.Ok(new DiscoveryDocument(
            issuerUrl,
            issuerUrl + "/.well-known/jwks.json",
            ["RS256"],
            ["public"],
            ["id_token"],
            ["sub", "cognito:username", "email", "custom:tenantId", "custom:userRole", "cognito:groups"]));
    }

    public static async Task<Ok<MailMessage[]>> GetMailbox(LocalMailbox mailbox, CancellationToken cancellationToken, int limit = 50) =>
        TypedResults.Ok((await mailbox.ReadAsync(Math.Clamp(limit, 1, 500), cancellationToken)).ToArray());
}
