using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SaasOnboarding.Testing;

/// <summary>Keeps every formatted log line (with its exception and scopes, a scope of values as <c>Key=Value</c>) the app writes.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            capture._scopes.ForEachScope((scope, list) => list.Add(scope is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(' ', values.Select(value => $"{value.Key}={value.Value}"))
                : scope?.ToString() ?? string.Empty), scopes);
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(pair => $"{pair.Key}={pair.Value}"))
                : string.Empty;
            capture._lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} {properties} {string.Join(' ', scopes)} {exception}");
        }
    }
}
