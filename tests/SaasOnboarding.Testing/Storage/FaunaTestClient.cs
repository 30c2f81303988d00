using Microsoft.Extensions.Logging;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Testing;

internal static class FaunaTestClient
{
    public const string Secret = "fnAEparentSECRETvalue42";

    public static FaunaClient Create(FaunaFake fake, LogCapture? logs = null, Action<FaunaStorageOptions>? configure = null)
    {
        var options = new FaunaStorageOptions { Secret = Secret, RetryBaseDelayMs = 1 };
        configure?.Invoke(options);
        return new FaunaClient(options, StartupSecret.FromValue(Secret), (logs ?? new LogCapture()).CreateLogger<FaunaClient>(), fake);
    }
}
