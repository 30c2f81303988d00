using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace SaasOnboarding.Api.Identity;

/// <summary>
/// Where the keys that verify a pool's tokens come from: one key the app holds (<see cref="Key"/>), or the key set
/// the provider publishes, read and refreshed by <see cref="Published"/>.
/// </summary>
public sealed record PoolSigningKeys(SecurityKey? Key, IConfigurationManager<OpenIdConnectConfiguration>? Published);
