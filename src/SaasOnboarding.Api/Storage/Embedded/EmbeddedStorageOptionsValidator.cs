using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>The attributes above, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class EmbeddedStorageOptionsValidator : IValidateOptions<EmbeddedStorageOptions>;
