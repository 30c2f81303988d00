using System.Net;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

public sealed class FaunaClientTests
{
    private const string TenantDb = "tenant_0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task AQueryIsATaggedTemplatePostedToQuery1WithTheProtocolHeaders()
    {
        var fake = new FaunaFake().Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_get", lastTxnTs: null);
                Assert.Null(request.Header("X-Max-Contention-Retries"));
                Assert.Equal("""{"query":{"fql":["tenant.byTenantId(",{"value":"abc"},").first()"]}}""", request.Body);
            },
            () => FaunaFake.Ok("""{"@int":"7"}"""));
        using var client = FaunaTestClient.Create(fake);

        var answer = await client.QueryAsync(Fql.Of($"tenant.byTenantId({"abc"}).first()"), "tenant_get", null, CancellationToken.None);

        Assert.Equal(7, answer.Data);
        Assert.Equal(1_700_000_000_000_001, answer.TxnTs);
        Assert.Equal("operation=test", answer.QueryTags);
        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task TheTimeoutHeaderIsAnIntegerAndContentionRetriesAreSentWhenConfigured()
    {
        var fake = new FaunaFake().Expect(
            request =>
            {
                Assert.Equal("1500", request.Header("X-Query-Timeout-Ms"));
                Assert.Equal("2", request.Header("X-Max-Contention-Retries"));
            },
            () => FaunaFake.Ok("null"));
        using var client = FaunaTestClient.Create(fake, configure: options =>
        {
            options.QueryTimeoutMs = 1500;
            options.MaxContentionRetries = 2;
        });

        await client.QueryAsync(Fql.Of($"null"), "ping", null, CancellationToken.None);

        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AChildScopedQuerySendsTheParentKeyScopedToTheChildDatabase()
    {
        var fake = new FaunaFake().Expect(
            request => request.AssertProtocolHeaders($"{FaunaTestClient.Secret}:{TenantDb}:server", "product_get", lastTxnTs: null),
            () => FaunaFake.Ok("null"));
        using var client = FaunaTestClient.Create(fake);

        await client.QueryAsync(Fql.Of($"product.byId({"1"})"), "product_get", new FaunaScope(TenantDb, "server"), CancellationToken.None);

        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task WithAParentDatabaseTheParentIsAnAdminScopeAndAChildIsAPathBelowIt()
    {
        var fake = new FaunaFake()
            .Expect(request => Assert.Equal($"Bearer {FaunaTestClient.Secret}:saas/staging:admin", request.Header("Authorization")), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal($"Bearer {FaunaTestClient.Secret}:saas/staging/{TenantDb}:server", request.Header("Authorization")), () => FaunaFake.Ok("null"));
        using var client = FaunaTestClient.Create(fake, configure: options => options.ParentDatabase = "saas/staging");

        await client.QueryAsync(Fql.Of($"1"), "parent", null, CancellationToken.None);
        await client.QueryAsync(Fql.Of($"2"), "child", new FaunaScope(TenantDb, "server"), CancellationToken.None);

        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task TheHighestTxnTsSeenIsSentAndNeverMovesBackwards()
    {
        var fake = new FaunaFake()
            .Expect(request => Assert.Null(request.Header("X-Last-Txn-Ts")), () => FaunaFake.Ok("null", txnTs: 1_000_200))
            .Expect(request => Assert.Equal("1000200", request.Header("X-Last-Txn-Ts")), () => FaunaFake.Ok("null", txnTs: 1_000_100))
            .Expect(request => Assert.Equal("1000200", request.Header("X-Last-Txn-Ts")), () => FaunaFake.Error(400, "invalid_query", "bad", txnTs: 1_000_300))
            .Expect(request => Assert.Equal("1000300", request.Header("X-Last-Txn-Ts")), () => FaunaFake.Ok("null", txnTs: 1_000_300));
        using var client = FaunaTestClient.Create(fake);

        await client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None);
        await client.QueryAsync(Fql.Of($"2"), "two", null, CancellationToken.None);
        await Assert.ThrowsAsync<FaunaQueryException>(() => client.QueryAsync(Fql.Of($"3"), "three", null, CancellationToken.None));
        await client.QueryAsync(Fql.Of($"4"), "four", null, CancellationToken.None);

        Assert.Equal(1_000_300, client.LastTxnTs);
        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task TheSchemaVersionIsNotTakenForATransactionTime()
    {
        var fake = new FaunaFake()
            .Expect(_ => { }, () => FaunaFake.Raw(HttpStatusCode.OK, """{"data":null,"summary":"","txn_ts":5000,"schema_version":9999999}"""))
            .Expect(request => Assert.Equal("5000", request.Header("X-Last-Txn-Ts")), () => FaunaFake.Ok("null", txnTs: 5000));
        using var client = FaunaTestClient.Create(fake);

        await client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None);
        await client.QueryAsync(Fql.Of($"2"), "two", null, CancellationToken.None);

        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AThrottledQueryIsRetriedWithAFreshIdenticalBodyUntilItSucceeds()
    {
        var fake = new FaunaFake()
            .Expect(_ => { }, () => FaunaFake.Error(429, "limit_exceeded", "Rate limit exceeded"))
            .Expect(_ => { }, () => FaunaFake.Error(429, "limit_exceeded", "Rate limit exceeded"))
            .Expect(_ => { }, () => FaunaFake.Ok("""{"@long":"12"}"""));
        var logs = new LogCapture();
        using var client = FaunaTestClient.Create(fake, logs);

        var answer = await client.QueryAsync(Fql.Of($"Math.abs({-12L})"), "abs", null, CancellationToken.None);

        Assert.Equal(12L, answer.Data);
        Assert.Equal(3, fake.Received.Count);
        Assert.All(fake.Received, request =>
        {
            Assert.Equal("""{"query":{"fql":["Math.abs(",{"value":{"@long":"-12"}},")"]}}""", request.Body);
            Assert.Equal("operation=abs", request.Header("X-Query-Tags"));
        });
        Assert.Equal(2, logs.Lines.Count(line => line.Contains("throttled", StringComparison.Ordinal)));
        fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AQueryThrottledOnEveryAttemptFailsAfterThreeAttempts()
    {
        var fake = new FaunaFake();
        for (var i = 0; i < 3; i++)
        {
            fake.Expect(_ => { }, () => FaunaFake.Error(429, "limit_exceeded", "Rate limit exceeded"));
        }

        using var client = FaunaTestClient.Create(fake);

        var error = await Assert.ThrowsAsync<FaunaThrottledException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(3, fake.Received.Count);
        fake.VerifyAllAnswered();
    }

    [Theory]
    [InlineData(503, "time_out")]
    [InlineData(500, "internal_error")]
    [InlineData(409, "contended_transaction")]
    [InlineData(400, "abort")]
    public async Task ErrorsOtherThan429AreNotRetried(int status, string code)
    {
        var fake = new FaunaFake().Expect(_ => { }, () => FaunaFake.Error(status, code, "no"));
        using var client = FaunaTestClient.Create(fake);

        var error = await Assert.ThrowsAnyAsync<FaunaException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Single(fake.Received);
    }

    [Theory]
    [InlineData(400, "invalid_query", typeof(FaunaQueryException))]
    [InlineData(400, "invalid_request", typeof(FaunaQueryException))]
    [InlineData(400, "document_not_found", typeof(FaunaQueryException))]
    [InlineData(400, "permission_denied", typeof(FaunaQueryException))]
    [InlineData(400, "abort", typeof(FaunaAbortException))]
    [InlineData(400, "constraint_failure", typeof(FaunaConstraintException))]
    [InlineData(400, "invalid_cursor", typeof(FaunaInvalidCursorException))]
    [InlineData(401, "unauthorized", typeof(FaunaUnauthorizedException))]
    [InlineData(403, "forbidden", typeof(FaunaForbiddenException))]
    [InlineData(410, "forbidden", typeof(FaunaForbiddenException))]
    [InlineData(409, "contended_transaction", typeof(FaunaContendedException))]
    [InlineData(413, "request_size_exceeded", typeof(FaunaRequestTooLargeException))]
    [InlineData(440, "time_out", typeof(FaunaQueryTimeoutException))]
    [InlineData(500, "internal_error", typeof(FaunaServiceException))]
    [InlineData(502, "bad_gateway", typeof(FaunaServiceException))]
    [InlineData(503, "time_out", typeof(FaunaServiceException))]
    [InlineData(504, "gateway_timeout", typeof(FaunaServiceException))]
    [InlineData(400, "some_future_code", typeof(FaunaQueryException))]
    [InlineData(409, "some_future_code", typeof(FaunaContendedException))]
    [InlineData(418, "some_future_code", typeof(FaunaException))]
    public async Task EachErrorIsClassifiedByItsCodeFirstAndItsStatusSecond(int status, string code, Type expected)
    {
        var fake = new FaunaFake().Expect(_ => { }, () => FaunaFake.Error(status, code, "described"));
        using var client = FaunaTestClient.Create(fake);

        var error = await Assert.ThrowsAnyAsync<FaunaException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        Assert.IsType(expected, error, exactMatch: true);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.Code);
        Assert.Contains("described", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, typeof(FaunaServiceException))]
    [InlineData(HttpStatusCode.Unauthorized, typeof(FaunaUnauthorizedException))]
    [InlineData(HttpStatusCode.TooManyRequests, typeof(FaunaThrottledException))]
    public async Task AnErrorWithoutAFaunaBodyIsClassifiedByStatus(HttpStatusCode status, Type expected)
    {
        var fake = new FaunaFake();
        for (var i = 0; i < 3; i++)
        {
            fake.Expect(_ => { }, () => FaunaFake.Raw(status, "<html>proxy says no</html>", "text/html"));
        }

        using var client = FaunaTestClient.Create(fake);

        var error = await Assert.ThrowsAnyAsync<FaunaException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        Assert.IsType(expected, error, exactMatch: true);
    }

    [Fact]
    public async Task AnAbortCarriesItsDecodedTaggedValue()
    {
        var fake = new FaunaFake().Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"short","available":{"@int":"3"}}"""));
        using var client = FaunaTestClient.Create(fake);

        var error = await Assert.ThrowsAsync<FaunaAbortException>(() => client.QueryAsync(Fql.Of($"abort(1)"), "one", null, CancellationToken.None));

        var abort = Assert.IsType<Dictionary<string, object?>>(error.Abort);
        Assert.Equal("short", abort["reason"]);
        Assert.Equal(3, abort["available"]);
    }

    [Fact]
    public async Task AConstraintFailureNamesTheFieldsItInvolves()
    {
        var fake = new FaunaFake().Expect(_ => { }, () => FaunaFake.ConstraintFailure("nameKey"));
        using var client = FaunaTestClient.Create(fake);

        var error = await Assert.ThrowsAsync<FaunaConstraintException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        var failure = Assert.Single(error.Failures);
        Assert.True(failure.Involves("nameKey"));
        Assert.False(failure.Involves("tenantId"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("""{"summary":""}""")]
    public async Task ASuccessWithoutDataIsAProtocolError(string body)
    {
        var fake = new FaunaFake().Expect(_ => { }, () => FaunaFake.Raw(HttpStatusCode.OK, body));
        using var client = FaunaTestClient.Create(fake);

        await Assert.ThrowsAsync<FaunaProtocolException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));
    }

    [Fact]
    public async Task ANodeThatNeverAnswersIsAbandonedAtTheQueryTimeoutPlusTheBuffer()
    {
        using var hang = new HangingHandler();
        using var hungClient = new FaunaClient(
            new FaunaStorageOptions { Secret = FaunaTestClient.Secret, QueryTimeoutMs = 50, ClientDeadlineBufferMs = 100 },
            Api.Secrets.StartupSecret.FromValue(FaunaTestClient.Secret),
            new LogCapture().CreateLogger<FaunaClient>(),
            hang);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FaunaClientTimeoutException>(() => hungClient.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        Assert.Equal(TimeSpan.FromMilliseconds(150), hungClient.Deadline);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(140), TimeSpan.FromSeconds(10));
        Assert.Equal("50", hang.TimeoutHeader);
        Assert.Equal(0, error.StatusCode);
    }

    [Fact]
    public async Task ANodeThatCannotBeReachedIsAConnectionErrorNamingNoSecret()
    {
        using var client = new FaunaClient(
            new FaunaStorageOptions { Endpoint = "http://127.0.0.1:9", Secret = FaunaTestClient.Secret },
            Api.Secrets.StartupSecret.FromValue(FaunaTestClient.Secret),
            new LogCapture().CreateLogger<FaunaClient>());

        var error = await Assert.ThrowsAsync<FaunaConnectionException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, CancellationToken.None));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.DoesNotContain(FaunaTestClient.Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotReportedAsATimeout()
    {
        using var hang = new HangingHandler();
        using var client = new FaunaClient(
            new FaunaStorageOptions { Secret = FaunaTestClient.Secret },
            Api.Secrets.StartupSecret.FromValue(FaunaTestClient.Secret),
            new LogCapture().CreateLogger<FaunaClient>(),
            hang);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync(Fql.Of($"1"), "one", null, cancel.Token));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("comma,separated")]
    [InlineData("k=v")]
    [InlineData("")]
    public async Task AQueryTagOutsideTheAllowedCharactersIsRefusedBeforeSending(string operation)
    {
        var fake = new FaunaFake();
        using var client = FaunaTestClient.Create(fake);

        await Assert.ThrowsAsync<ArgumentException>(() => client.QueryAsync(Fql.Of($"1"), operation, null, CancellationToken.None));

        Assert.Empty(fake.Received);
    }

    [Theory]
    [InlineData(1, 0.0, 50)]
    [InlineData(1, 1.0, 100)]
    [InlineData(2, 0.0, 100)]
    [InlineData(2, 1.0, 200)]
    [InlineData(3, 0.5, 300)]
    public void BackoffDoublesPerAttemptWithHalfOfEachStepJittered(int attempt, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), FaunaClient.Backoff(attempt, TimeSpan.FromMilliseconds(100), random));
    }

    [Fact]
    public async Task NeitherTheSecretNorTheAuthorizationHeaderReachesALogOrAnError()
    {
        var fake = new FaunaFake()
            .Expect(_ => { }, () => FaunaFake.Ok("null"))
            .Expect(_ => { }, () => FaunaFake.Error(429, "limit_exceeded", "slow down"))
            .Expect(_ => { }, () => FaunaFake.Error(401, "unauthorized", "Invalid token, unable to authenticate request"));
        var logs = new LogCapture();
        using var client = FaunaTestClient.Create(fake, logs, options => options.MaxAttempts = 2);

        await client.QueryAsync(Fql.Of($"1"), "one", new FaunaScope(TenantDb, "server"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<FaunaUnauthorizedException>(
            () => client.QueryAsync(Fql.Of($"2"), "two", new FaunaScope(TenantDb, "server"), CancellationToken.None));

        Assert.Contains("Operation=one", logs.All(), StringComparison.Ordinal);
        Assert.Contains("Operation=two", logs.All(), StringComparison.Ordinal);
        Assert.True(logs.Lines.Count >= 3);
        Assert.DoesNotContain(FaunaTestClient.Secret, logs.All(), StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", logs.All(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FaunaTestClient.Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void InterpolatedValuesNeverBecomeQueryText()
    {
        var hostile = "x\") ; Database.all().forEach(d => d.delete()) ; (\"";

        var query = Fql.Of($"tenant.byNameKey({hostile}).first()");

        Assert.Equal("tenant.byNameKey(?).first()", query.ToString());
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            query.WriteTo(writer);
        }

        using var body = System.Text.Json.JsonDocument.Parse(stream.ToArray());
        var parts = body.RootElement.GetProperty("fql").EnumerateArray().ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal("tenant.byNameKey(", parts[0].GetString());
        Assert.Equal(hostile, parts[1].GetProperty("value").GetString());
        Assert.Equal(").first()", parts[2].GetString());
    }

    [Fact]
    public void ANestedTemplateIsSentAsAnFqlFragment()
    {
        var inner = Fql.Of($"product.byId({"5"})");

        var query = Fql.Of($"{inner}!.update({new Dictionary<string, object?> { ["quantity"] = 2 }})");

        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            query.WriteTo(writer);
        }

        Assert.Equal(
            """{"fql":[{"fql":["product.byId(",{"value":"5"},")"]},"!.update(",{"value":{"quantity":{"@int":"2"}}},")"]}""",
            System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        public string? TimeoutHeader { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            TimeoutHeader = string.Join(",", request.Headers.GetValues("X-Query-Timeout-Ms"));
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
