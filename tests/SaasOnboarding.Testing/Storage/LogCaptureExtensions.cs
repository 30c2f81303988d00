using Microsoft.Extensions.Logging;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Testing;

internal static class LogCaptureExtensions
{
    public static ILogger<T> CreateLogger<T>(this LogCapture capture) => new LoggerFactory([capture]).CreateLogger<T>();

    public static string All(this LogCapture capture) => string.Join("\n", capture.Lines);
}
