using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

/// <summary>The attributes of <see cref="RateLimitOptions"/>, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
