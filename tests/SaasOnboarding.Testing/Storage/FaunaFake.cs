using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Testing;

/// <summary>
/// A Fauna node on the wire, as far as the protocol description goes: it holds a script of expected requests,
/// checks each request that arrives against the next expectation, and answers with the scripted body. A request
/// that nothing expects fails the test; <see cref="VerifyAllAnswered"/> fails it when an expectation was never met.
/// </summary>
internal sealed class FaunaFake : HttpMessageHandler
{
    private readonly ConcurrentQueue<Expectation> _script = new();
    private readonly List<FaunaRequest> _received = [];

    public IReadOnlyList<FaunaRequest> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Expects one request, runs <paramref name="check"/> on it (xunit asserts), then answers.</summary>
    public FaunaFake Expect(Action<FaunaRequest> check, Func<HttpResponseMessage> answer)
    {
        _script.Enqueue(new Expectation(check, answer));
        return this;
    }

    public void VerifyAllAnswered() => Assert.True(_script.IsEmpty, $"{_script.Count} expected Fauna request(s) never arrived.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var received = new FaunaRequest(request, body);
        lock (_received)
        {
            _received.Add(received);
        }

        if (!_script.TryDequeue(out var expectation))
        {
            Assert.Fail($"Unexpected Fauna request: {received.QueryText}");
        }

        expectation.Check(received);
        return expectation.Answer();
    }

    public static HttpResponseMessage Ok(string taggedData, long txnTs = 1_700_000_000_000_001, string queryTags = "operation=test") =>
        Json(HttpStatusCode.OK, $$"""
            {"data":{{taggedData}},"static_type":"Any","summary":"","txn_ts":{{txnTs}},
             "stats":{"compute_ops":1,"read_ops":0,"write_ops":0,"query_time_ms":1,"contention_retries":0,
                      "storage_bytes_read":0,"storage_bytes_write":0,"rate_limits_hit":[]},
             "query_tags":"{{queryTags}}","schema_version":0}
            """);

    public static HttpResponseMessage Error(int status, string code, string message, string extra = "", long? txnTs = null) =>
        Json((HttpStatusCode)status, $$"""
            {"error":{"code":"{{code}}","message":"{{message}}"{{extra}}},"summary":"error: {{message}}"{{(txnTs is null ? "" : $",\"txn_ts\":{txnTs}")}},
             "stats":{"compute_ops":1,"read_ops":0,"write_ops":0,"query_time_ms":1,"contention_retries":0,
                      "storage_bytes_read":0,"storage_bytes_write":0,"rate_limits_hit":[]},"schema_version":0}
            """);

    public static HttpResponseMessage ConstraintFailure(string field) => Error(
        400,
        "constraint_failure",
        "Failed to create document in collection.",
        $$""","constraint_failures":[{"paths":[["{{field}}"]],"message":"Failed unique constraint"}]""");

    public static HttpResponseMessage Abort(string taggedAbort) => Error(
        400, "abort", "Query aborted.", $",\"abort\":{taggedAbort}", txnTs: 1_700_000_000_000_009);

    public static HttpResponseMessage Raw(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => Raw(status, body);

    private sealed record Expectation(Action<FaunaRequest> Check, Func<HttpResponseMessage> Answer);
}
