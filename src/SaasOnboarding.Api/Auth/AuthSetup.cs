using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Auth;

public static class AuthSetup
{
    public const string BearerScheme = "Bearer";
    public const string OperationsScheme = "operations";
    public const string TenantScheme = "tenant";

    /// <summary>Requests without a bearer token; challenges and refusals go to the tenant scheme.</summary>
    public const string NoTokenScheme = "no-token";

    /// <summary>Reads (never validates) a token's issuer to pick its scheme; one instance serves every request.</summary>
    private static readonly JsonWebTokenHandler TokenReader = new();

    /// <summary>
    /// One JwtBearer scheme per user pool, each checking only its own issuer, audience and keys; a policy scheme
    /// picks the scheme from the token's issuer. A forged issuer only chooses which pool's keys must verify it.
    /// </summary>
    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(BearerScheme)
            .AddPolicyScheme(BearerScheme, BearerScheme, options => options.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer(OperationsScheme, _ => { })
            .AddJwtBearer(TenantScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, NoTokenHandler>(NoTokenScheme, options =>
            {
                options.ForwardChallenge = TenantScheme;
                options.ForwardForbid = TenantScheme;
            });
        RemoveDataProtection(builder.Services);
        AddHandlerFactories(builder.Services);
        builder.Services.AddSingleton<ValidatedTokens>();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigurePoolBearer>();
        builder.Services.AddAuthorization(Policies.Add);
        AuthorizationOnce(builder.Services);
        return builder;
    }

    /// <summary>
    /// The scheme handlers a request uses, and the provider that asks for them, built by factories. A handler serves
    /// one request; the framework registers each scheme's handler type with the container (once per scheme), which under Native AOT
    /// finds and calls its constructor by reflection at every request.
    /// </summary>
    private static void AddHandlerFactories(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider>(
            provider => new AuthenticationHandlerProvider(provider.GetRequiredService<IAuthenticationSchemeProvider>())));
        services.RemoveAll<PolicySchemeHandler>();
        services.AddTransient(provider => new PolicySchemeHandler(
            provider.GetRequiredService<IOptionsMonitor<PolicySchemeOptions>>(), provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<UrlEncoder>()));
        services.RemoveAll<JwtBearerHandler>();
        services.AddTransient(provider => new JwtBearerHandler(
            provider.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>(), provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<UrlEncoder>()));
        services.RemoveAll<NoTokenHandler>();
        services.AddTransient(provider => new NoTokenHandler(
            provider.GetRequiredService<IOptionsMonitor<AuthenticationSchemeOptions>>(), provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<UrlEncoder>()));
    }

    /// <summary>
    /// The authorization services, built once. The framework registers them as transient, so every authorized
    /// request had the container build the policy evaluator, the authorization service, its policy and handler
    /// providers, the evaluator, the context factory, the pass-through handler and the result handler again (by
    /// reflection under Native AOT). None keeps state between calls, and the only handler is the framework's
    /// pass-through one (every policy is an assertion on <see cref="TenantContext"/>), so one of each serves all.
    /// </summary>
    private static void AuthorizationOnce(IServiceCollection services)
    {
        Type[] stateless =
        [
            typeof(IPolicyEvaluator), typeof(IAuthorizationService), typeof(IAuthorizationPolicyProvider), typeof(IAuthorizationHandlerProvider),
            typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationHandler), typeof(IAuthorizationMiddlewareResultHandler),
        ];
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { Lifetime: ServiceLifetime.Transient, IsKeyedService: false, ImplementationType: { } implementation } service
                && stateless.Contains(service.ServiceType))
            {
                services[i] = ServiceDescriptor.Singleton(service.ServiceType, implementation);
            }
        }
    }

    /// <summary>
    /// <c>AddAuthentication</c> registers ASP.NET Core Data Protection for cookie and remote sign-in handlers. Bearer
    /// tokens never use it, nor does anything else here, and its hosted service would load (on a fresh Lambda
    /// instance: create and write) a key ring at every start. So it is not registered: a future use fails to resolve
    /// at once instead of quietly keeping keys in a home directory that Lambda throws away.
    /// </summary>
    private static void RemoveDataProtection(IServiceCollection services)
    {
        static bool FromDataProtection(Type? type) =>
            type?.Assembly.GetName().Name?.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) == true;

        foreach (var service in services.Where(service => FromDataProtection(service.ServiceType)
            || FromDataProtection(service.IsKeyedService ? service.KeyedImplementationType : service.ImplementationType)).ToList())
        {
            services.Remove(service);
        }
    }

    private static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return NoTokenScheme;
        }

        var token = header["Bearer ".Length..].Trim();
        // Stryker disable once Block,Statement : without the remembered scheme the token is read for its issuer, which picks the same scheme.
        if (context.RequestServices.GetRequiredService<ValidatedTokens>().SchemeOf(token) is { } remembered)
        {
            return remembered;
        }

        var handler = TokenReader;
        // Stryker disable once Block : a token it cannot read fails to parse below too (ArgumentException), which picks the same scheme; this spares the exception.
        if (!handler.CanReadToken(token))
        {
            return TenantScheme;
        }

        var issuers = context.RequestServices.GetRequiredService<ITokenIssuers>();
        try
        {
            return handler.ReadJsonWebToken(token).Issuer == issuers.IssuerOf(UserPool.Operations).Issuer ? OperationsScheme : TenantScheme;
        }
        catch (ArgumentException)
        {
            return TenantScheme;
        }
    }

    /// <summary>
    /// Nobody, for a request without a bearer token, as JwtBearer would answer, but without building a JwtBearer
    /// handler's options (IdentityModel, the pool's keys), which would otherwise be part of the first <c>/health</c>'s cost at start.
    /// A challenge still comes from JwtBearer (401 with <c>WWW-Authenticate: Bearer</c>).
    /// </summary>
    private sealed class NoTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }

    private sealed class ConfigurePoolBearer(ITokenIssuers issuers, ValidatedTokens validatedTokens) : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, JwtBearerOptions options)
        {
            UserPool pool;
            switch (name)
            {
                case OperationsScheme:
                    pool = UserPool.Operations;
                    break;
                case TenantScheme:
                    pool = UserPool.Tenant;
                    break;
                default:
                    return;
            }

            var issuer = issuers.IssuerOf(pool);
            // Stryker disable once Boolean : it maps claims only in the default handlers, which are replaced below by ValidatedTokens' handler that never maps them.
            options.MapInboundClaims = false;
            // Nothing reads the token back from the authentication properties; storing it there costs every request.
            // Stryker disable once Boolean : as said, nothing reads it back, so storing it changes only the cost.
            options.SaveToken = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer.Issuer,
                ValidAudience = issuer.ClientId,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                // Stryker disable once Boolean : it checks only the signing key's own validity period, which the pools' keys do not carry; the signature is verified either way.
                ValidateIssuerSigningKey = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = TokenClaims.UserName,
                RoleClaimType = TokenClaims.UserRole,
                // The scheme's name becomes the identity's authentication type: TokenClaims.PoolOf reads it.
                AuthenticationType = name,
            };
            var keys = issuers.SigningKeysOf(pool);
            options.TokenValidationParameters.IssuerSigningKey = keys.Key;
            if (keys.Published is { } published)
            {
                options.ConfigurationManager = published;
            }

            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(validatedTokens.HandlerFor(name));
            options.Events = new JwtBearerEvents { OnTokenValidated = RequireIdTokenAsync, OnChallenge = NameRevokedTokenInvalid };
        }

        /// <summary>
        /// ID tokens, not access tokens: only ID tokens carry the custom attributes. Whether the token's user may
        /// still act, and with which role, is not the token's to say: <see cref="CallerCheck"/> decides it after
        /// authentication, at every request.
        /// </summary>
        private static Task NameRevokedTokenInvalid(JwtBearerChallengeContext context)
        {
            if (context.HttpContext.Features.Get<RevokedToken>() is not null)
            {
                context.Error = "invalid_token";
                context.ErrorDescription = "The token's user is disabled or no longer belongs to its tenant.";
            }

            return Task.CompletedTask;
        }

        private static Task RequireIdTokenAsync(TokenValidatedContext context)
        {
            if (context.Principal!.FindFirstValue(TokenClaims.TokenUse) != "id")
            {
                // Stryker disable once String : the message is logged only at Information under Microsoft.AspNetCore, which the app logs from Warning; the answer is the same 401.
                context.Fail("An ID token is required.");
            }

            return Task.CompletedTask;
        }
    }
}
