using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>The attributes above, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class LocalIdentityOptionsValidator : IValidateOptions<LocalIdentityOptions>;
