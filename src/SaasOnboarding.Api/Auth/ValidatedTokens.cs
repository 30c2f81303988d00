using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Auth;

/// <summary>
/// Remembers ID tokens that passed full validation, until they expire. Verifying an RS256 signature and building
/// the claims is most of an authenticated read's cost, and a client sends the same token for an hour. Only what validation itself decides (with <see cref="RepeatedClaims"/>) is cached:
/// the per-request checks (disabled user, inactive tenant) run after it on every request, so revocation stays
/// immediate, and a hit is honoured only while its signing key is still one of the pool's keys. Bounded: at most
/// <paramref name="capacity"/> tokens (<see cref="Capacity"/> in the app), each kept no longer than its own expiry.
/// </summary>
public sealed class ValidatedTokens(TimeProvider time, int capacity = ValidatedTokens.Capacity) : IDisposable
{
    public const int Capacity = 10_000;

    private readonly TimeProvider _time = time;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = capacity });

    /// <summary>A token handler for one scheme that consults the cache before validating.</summary>
    public TokenHandler HandlerFor(string scheme) => new CachingHandler(this, scheme);

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// The scheme that validated this exact token, while it is remembered and unexpired: scheme selection then
    /// need not parse the token to read its issuer. Null means "not remembered"; the caller reads the token.
    /// </summary>
    public string? SchemeOf(string token) =>
        _cache.Get<Entry>(token) is { } hit && _time.GetUtcNow() < hit.ValidTo ? hit.Scheme : null;

    private sealed record Entry(string Scheme, ClaimsIdentity Identity, JsonWebToken Token, DateTimeOffset ValidTo);

    private sealed class CachingHandler(ValidatedTokens owner, string scheme) : JsonWebTokenHandler
    {
        public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            // Keyed by the exact token text, signature included: only the very same bytes hit, and only for the
            // scheme that validated them.
            var now = owner._time.GetUtcNow();
            if (owner._cache.Get<Entry>(token) is { } hit && hit.Scheme == scheme && now < hit.ValidTo
                && await IsStillTrustedAsync(hit.Token.Kid, validationParameters))
            {
                // A copy, so that nothing done to one request's principal reaches another request.
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = hit.Identity.Clone(),
                    SecurityToken = hit.Token,
                    Issuer = hit.Token.Issuer,
                    TokenType = hit.Token.Typ,
                };
            }

            var result = await base.ValidateTokenAsync(token, validationParameters);
            if (result.IsValid && result.SecurityToken is JsonWebToken checkedToken && RepeatedClaims.Find(checkedToken) is { } repeated)
            {
                return new TokenValidationResult
                {
                    IsValid = false,
                    Exception = new SecurityTokenValidationException($"The token states the claim '{repeated}' more than once."),
                };
            }

            if (result.IsValid && result.SecurityToken is JsonWebToken validated && result.ClaimsIdentity is { } identity)
            {
                // Expiry without the clock skew validation allows: a cached token never outlives what validation accepts.
                var validTo = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero);
                // Stryker disable once Equality : an entry that expires now is never honoured, as both reads require now < ValidTo.
                if (validTo > now)
                {
                    owner._cache.Set(token, new Entry(scheme, identity.Clone(), validated, validTo), new MemoryCacheEntryOptions
                    {
                        AbsoluteExpiration = validTo,
                        Size = 1,
                    });
                }
            }

            return result;
        }

        /// <summary>
        /// A hit counts only while the key that signed the token is still among the pool's current keys: a key the
        /// pool retired (rotation) makes its tokens go through full validation again, and fail. The keys are those
        /// the parameters hold (the local provider's) or those of the configuration JwtBearer hands over (a
        /// published key set, as with Cognito), read as validation reads it: the configuration manager answers the
        /// key set it last fetched, and fetches only when its own schedule or a refresh request says so.
        /// </summary>
        private static async ValueTask<bool> IsStillTrustedAsync(string? keyId, TokenValidationParameters parameters)
        {
            if (string.IsNullOrEmpty(keyId))
            {
                return false;
            }

            if (parameters.IssuerSigningKey?.KeyId == keyId || (parameters.IssuerSigningKeys?.Any(key => key.KeyId == keyId) ?? false))
            {
                return true;
            }

            if (parameters.ConfigurationManager is not { } published)
            {
                return false;
            }

            BaseConfiguration configuration;
            try
            {
                configuration = await published.GetBaseConfigurationAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // No key set to compare with (as validation, which goes on without one): full validation decides.
                return false;
            }

            return configuration?.SigningKeys?.Any(key => key.KeyId == keyId) ?? false;
        }
    }
}
