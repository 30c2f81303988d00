using Microsoft.Extensions.Logging;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Fauna;
using SaasOnboarding.Api.Tests.Infrastructure;

namespace SaasOnboarding.Api.Tests.Storage.Fauna;

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

internal static class LogCaptureExtensions
{
    public static ILogger<T> CreateLogger<T>(this LogCapture capture) => new LoggerFactory([capture]).CreateLogger<T>();

    public static string All(this LogCapture capture) => string.Join("\n", capture.Lines);
}
