using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Api.Tests.Storage.Fauna;

internal static class FaunaTestClient
{
    public const string Secret = "fnAEparentSECRETvalue42";

    public static FaunaClient Create(FaunaFake fake, LogCapture? logs = null, Action<FaunaStorageOptions>? configure = null)
    {
        var options = new FaunaStorageOptions { Secret = Secret, RetryBaseDelayMs = 1 };
        configure?.Invoke(options);
        var logger = (logs ?? new LogCapture()).CreateLogger<FaunaClient>();
        return new FaunaClient(options, StartupSecret.FromValue(Secret), logger, fake);
    }
}

/// <summary>Keeps every log line, its structured values and its exception text, at every level.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public string All => string.Join("\n", _lines);

    public ILogger<T> CreateLogger<T>() => new LoggerFactory([this]).CreateLogger<T>();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            capture._lines.Enqueue($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(pair => $"{pair.Key}={pair.Value}"))
                : string.Empty;
            capture._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
