using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Hosting;

/// <summary>Checks <see cref="HostingOptions"/> by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class HostingOptionsValidator : IValidateOptions<HostingOptions>;
