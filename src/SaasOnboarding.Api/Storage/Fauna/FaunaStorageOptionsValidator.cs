using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>The attributes and checks above, run by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class FaunaStorageOptionsValidator : IValidateOptions<FaunaStorageOptions>;
