using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SaasOnboarding.Api.Secrets;

namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// A small client for Fauna's v10 query API (<c>POST /query/1</c>, tagged format). One instance per process: it
/// owns one pooled HttpClient and keeps the highest <c>txn_ts</c> it has seen, for read-your-writes.
/// </summary>
public sealed class FaunaClient : IDisposable
{
    /// <summary>Keyed service name under which tests put an <see cref="HttpMessageHandler"/> in place of the network.</summary>
    public const string HttpHandlerKey = "Fauna";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly FaunaStorageOptions _options;
    private readonly StartupSecret _secret;
    private readonly ILogger<FaunaClient> _logger;
    private readonly Uri _queryUri;
    private long _lastTxnTs;

    public FaunaClient(FaunaStorageOptions options, StartupSecret secret, ILogger<FaunaClient> logger, HttpMessageHandler? handler = null)
    {
        _options = options;
        _secret = secret;
        _logger = logger;
        _queryUri = new Uri(new Uri(options.Endpoint.TrimEnd('/') + "/"), "query/1");

        // One client for the process; pooled connections are recycled so DNS changes are picked up.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: handler is null)
        {
            // The deadline is per request (query timeout + buffer), not the HttpClient's global one.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The highest <c>txn_ts</c> seen so far; 0 before the first answer.</summary>
    public long LastTxnTs => Interlocked.Read(ref _lastTxnTs);

    public TimeSpan Deadline => TimeSpan.FromMilliseconds(_options.QueryTimeoutMs + _options.ClientDeadlineBufferMs);

    /// <summary>
    /// Runs one query. Throttled answers (429) are retried with jittered exponential backoff, up to
    /// <see cref="FaunaStorageOptions.MaxAttempts"/>; every other error is thrown as its <see cref="FaunaException"/> type.
    /// </summary>
    /// <param name="query">The template.</param>
    /// <param name="operation">A short name for logs and the <c>operation</c> query tag.</param>
    /// <param name="scope">Null for the key's own database.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<FaunaResponse> QueryAsync(Fql query, string operation, FaunaScope? scope, CancellationToken cancellationToken)
    {
        var tags = FormatTags(operation);
        var secret = await _secret.GetAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(query, operation, tags, secret, scope, cancellationToken);
            }
            catch (FaunaThrottledException) when (attempt < _options.MaxAttempts)
            {
                var delay = Backoff(attempt, TimeSpan.FromMilliseconds(_options.RetryBaseDelayMs), Random.Shared.NextDouble());
                _logger.LogWarning(
                    "Fauna throttled {Operation} (attempt {Attempt} of {MaxAttempts}); retrying in {DelayMs} ms",
                    operation, attempt, _options.MaxAttempts, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>A page query: an expired or foreign cursor is the caller's bad page token, not a server fault.</summary>
    internal async Task<FaunaResponse> QueryPageAsync(Fql query, string operation, FaunaScope? scope, CancellationToken cancellationToken)
    {
        try
        {
            return await QueryAsync(query, operation, scope, cancellationToken);
        }
        catch (FaunaInvalidCursorException)
        {
            throw new InvalidPageTokenException();
        }
    }

    /// <summary>
    /// Exponential backoff with "equal jitter": half the step is fixed, half random, so retries spread out but
    /// still grow. Attempt 1 waits between base/2 and base, attempt 2 between base and 2·base, and so on.
    /// </summary>
    internal static TimeSpan Backoff(int attempt, TimeSpan baseDelay, double random01)
    {
        var step = baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds((step / 2) + (step / 2 * random01));
    }

    public void Dispose() => _http.Dispose();

    private async Task<FaunaResponse> SendOnceAsync(Fql query, string operation, string tags, string secret, FaunaScope? scope, CancellationToken cancellationToken)
    {
        // A fresh request and body per attempt: a sent HttpRequestMessage cannot be sent again.
        using var request = new HttpRequestMessage(HttpMethod.Post, _queryUri) { Content = new ByteArrayContent(Body(query)) };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ScopedSecret(secret, scope));
        request.Headers.Add("X-Format", "tagged");
        request.Headers.Add("X-Query-Timeout-Ms", _options.QueryTimeoutMs.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Query-Tags", tags);
        if (_options.MaxContentionRetries is { } retries)
        {
            request.Headers.Add("X-Max-Contention-Retries", retries.ToString(CultureInfo.InvariantCulture));
        }

        var lastTxnTs = LastTxnTs;
        if (lastTxnTs > 0)
        {
            request.Headers.Add("X-Last-Txn-Ts", lastTxnTs.ToString(CultureInfo.InvariantCulture));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        var started = Stopwatch.GetTimestamp();
        int status;
        string body;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Fauna {Operation} got no answer within {DeadlineMs} ms", operation, (int)Deadline.TotalMilliseconds);
            throw new FaunaClientTimeoutException(Deadline);
        }
        catch (HttpRequestException e)
        {
            _logger.LogWarning("Fauna {Operation} could not reach {Endpoint}: {Reason}", operation, _queryUri.GetLeftPart(UriPartial.Authority), e.Message);
            throw new FaunaConnectionException(e);
        }

        var elapsedMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (status == 200)
        {
            var answer = ParseSuccess(body);
            RecordTxnTs(answer.TxnTs);
            _logger.LogDebug("Fauna {Operation} answered 200 in {ElapsedMs} ms at txn_ts {TxnTs}", operation, elapsedMs, answer.TxnTs);
            return answer;
        }

        var error = ParseError(status, body, out var errorTxnTs);
        RecordTxnTs(errorTxnTs);
        _logger.LogDebug("Fauna {Operation} answered {StatusCode} {ErrorCode} in {ElapsedMs} ms", operation, status, error.Code, elapsedMs);
        throw error;
    }

    /// <summary>
    /// The key as sent: scopes reach down only, so a child of a configured parent database is the path
    /// <c>parent/child</c> under the same key, never a scope of a scope.
    /// </summary>
    private string ScopedSecret(string secret, FaunaScope? scope) => (_options.ParentDatabase, scope) switch
    {
        (null or "", null) => secret,
        (null or "", _) => $"{secret}:{scope.Database}:{scope.Role}",
        (var parent, null) => $"{secret}:{parent}:admin",
        (var parent, _) => $"{secret}:{parent}/{scope.Database}:{scope.Role}",
    };

    private static byte[] Body(Fql query)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, FaunaTagged.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("query");
            query.WriteTo(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Keeps the maximum: an answer from an older transaction must not move the read horizon back.</summary>
    private void RecordTxnTs(long txnTs)
    {
        var current = Interlocked.Read(ref _lastTxnTs);
        while (txnTs > current)
        {
            var previous = Interlocked.CompareExchange(ref _lastTxnTs, txnTs, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }

    private static FaunaResponse ParseSuccess(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new FaunaProtocolException("Fauna answered 200 with an empty body.");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data))
            {
                throw new FaunaProtocolException("Fauna answered 200 without data.");
            }

            return new FaunaResponse(
                FaunaTagged.Read(data),
                TxnTsOf(root),
                root.TryGetProperty("query_tags", out var tags) && tags.ValueKind == JsonValueKind.String ? tags.GetString() : null);
        }
        catch (JsonException e)
        {
            throw new FaunaProtocolException("Fauna answered 200 with a body that is not JSON.", e);
        }
        catch (FormatException e)
        {
            throw new FaunaProtocolException("Fauna answered a malformed tagged value.", e);
        }
    }

    private static long TxnTsOf(JsonElement root) =>
        root.TryGetProperty("txn_ts", out var txnTs) && txnTs.ValueKind == JsonValueKind.Number && txnTs.TryGetInt64(out var value) ? value : 0;

    /// <summary>Classifies an error by <c>error.code</c>, then by status when the code is missing or unknown.</summary>
    internal static FaunaException ParseError(int status, string body, out long txnTs)
    {
        txnTs = 0;
        string? code = null;
        var message = "no error body";
        object? abort = null;
        var failures = new List<FaunaConstraintFailure>();
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "null" : body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                txnTs = TxnTsOf(root);
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : message;
                    abort = error.TryGetProperty("abort", out var a) ? FaunaTagged.Read(a) : null;
                    if (error.TryGetProperty("constraint_failures", out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        failures.AddRange(list.EnumerateArray().Select(ReadConstraintFailure));
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or FaunaProtocolException)
        {
            // A proxy's HTML page or a truncated body: classify by status alone.
            message = "unparseable error body";
        }

        return (code, status) switch
        {
            ("abort", _) => new FaunaAbortException(status, message, abort),
            ("constraint_failure", _) => new FaunaConstraintException(status, message, failures),
            ("invalid_cursor", _) => new FaunaInvalidCursorException(status, message),
            ("unauthorized", _) => new FaunaUnauthorizedException(status, code, message),
            ("forbidden", _) => new FaunaForbiddenException(status, code, message),
            ("contended_transaction", _) => new FaunaContendedException(status, code, message),
            ("request_size_exceeded", _) => new FaunaRequestTooLargeException(status, code, message),
            ("limit_exceeded", _) => new FaunaThrottledException(status, code, message),
            ("time_out", 440) => new FaunaQueryTimeoutException(status, code, message),
            ("time_out" or "internal_error" or "bad_gateway" or "gateway_timeout", _) => new FaunaServiceException(status, code, message),
            (_, 400) => new FaunaQueryException(status, code ?? "invalid_request", message),
            (_, 401) => new FaunaUnauthorizedException(status, code ?? "unauthorized", message),
            (_, 403 or 410) => new FaunaForbiddenException(status, code ?? "forbidden", message),
            (_, 409) => new FaunaContendedException(status, code ?? "contended_transaction", message),
            (_, 413) => new FaunaRequestTooLargeException(status, code ?? "request_size_exceeded", message),
            (_, 429) => new FaunaThrottledException(status, code ?? "limit_exceeded", message),
            (_, 440) => new FaunaQueryTimeoutException(status, code ?? "time_out", message),
            (_, >= 500) => new FaunaServiceException(status, code ?? "internal_error", message),
            _ => new FaunaException(status, code ?? "unknown", message),
        };
    }

    private static FaunaConstraintFailure ReadConstraintFailure(JsonElement failure)
    {
        var paths = new List<IReadOnlyList<object?>>();
        if (failure.TryGetProperty("paths", out var pathList) && pathList.ValueKind == JsonValueKind.Array)
        {
            paths.AddRange(pathList.EnumerateArray()
                .Where(path => path.ValueKind == JsonValueKind.Array)
                .Select(path => (IReadOnlyList<object?>)path.EnumerateArray().Select(FaunaTagged.Read).ToList()));
        }

        return new FaunaConstraintFailure(
            paths,
            failure.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null);
    }

    /// <summary><c>X-Query-Tags</c> allows <c>[A-Za-z0-9_]</c> only; a bad tag is a programming error.</summary>
    private static string FormatTags(string operation)
    {
        if (operation.Length == 0 || !operation.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("A query tag holds [A-Za-z0-9_] only.", nameof(operation));
        }

        return new StringBuilder("operation=").Append(operation).ToString();
    }
}
