using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

/// <summary>The webhooks' queries on the scripted node: each method's FQL and values, the answers it reads, and its errors.</summary>
public sealed class FaunaWebhookStoreProtocolTests : IDisposable
{
    private const string EndpointId = "0193a1b2-0000-7000-8000-0000000000e1";
    private const string OtherEndpointId = "0193a1b2-0000-7000-8000-0000000000e2";
    private const string TenantId = "0123456789abcdef0123456789abcdef";
    private const string T0 = "2026-11-27T10:00:00.000000Z";
    private const string T1 = "2026-11-27T11:30:00.500000Z";

    private static readonly DateTimeOffset Created = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = new(2026, 11, 27, 11, 30, 0, 500, TimeSpan.Zero);

    private readonly FaunaFake _fake = new();

    public void Dispose() => _fake.Dispose();

    private FaunaWebhookStore Store() => new(FaunaTestClient.Create(_fake));

    private static string EndpointDocument(string id = EndpointId, string types = """["saasonboarding.tenant.registered"]""") => $$$$"""
        {"@doc":{"id":"412653216549831168","coll":{"@mod":"webhookEndpoint"},"ts":{"@time":"{{{{T1}}}}"},
          "endpointId":"{{{{id}}}}","url":"https://hooks.example.com/in","secret":"v1.c2VhbGVk",
          {{{{(types.Length == 0 ? "" : $"\"eventTypes\":{types},")}}}}"createdAt":{"@time":"{{{{T0}}}}"},"enabled":true}}
        """;

    private static string DeliveryDocument(string id, string status = """{"@int":"500"}""") => $$$$"""
        {"@doc":{"id":"412653216549831169","coll":{"@mod":"webhookDelivery"},"ts":{"@time":"{{{{T1}}}}"},
          "deliveryId":"{{{{id}}}}","endpointId":"{{{{EndpointId}}}}","eventId":"e-1","eventType":"saasonboarding.tenant.updated",
          "tenantId":"{{{{TenantId}}}}","attempt":{"@int":"2"},"outcome":"retrying","status":{{{{status}}}},"error":"HTTP 500",
          "time":{"@time":"{{{{T1}}}}"},"nextAttemptAt":{"@time":"{{{{T1}}}}"}}}
        """;

    [Fact]
    public async Task AnEndpointIsCreatedWithACursorAtEachTenantsLastSequenceInOneQuery()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_insert", lastTxnTs: null);
                Assert.Equal(
                    "webhookEndpoint.create($0)\noutboxSequence.all().forEach(s => webhookCursor.create({ endpointId: $1, tenantId: s.tenantId, deliveredSequence: s.lastSequence, attempt: 0 }))\nnull",
                    request.QueryText);
                Assert.Equal(
                    [
                        $$$$"""{"endpointId":"{{{{EndpointId}}}}","url":"https://hooks.example.com/in","secret":"v1.c2VhbGVk","eventTypes":["saasonboarding.tenant.registered"],"createdAt":{"@time":"{{{{T0}}}}"},"enabled":true}""",
                        $"\"{EndpointId}\"",
                    ],
                    request.ValuesJson);
            },
            () => FaunaFake.Ok("null"));

        await Store().InsertEndpointAsync(
            new WebhookEndpoint(EndpointId, "https://hooks.example.com/in", "v1.c2VhbGVk", ["saasonboarding.tenant.registered"], Created, true), CancellationToken.None);

        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnEndpointReadsBackByIdWithOrWithoutAFilterAndNullWhenThereIsNone()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_get", lastTxnTs: null);
                    Assert.Equal("webhookEndpoint.byEndpointId($0).first()", request.QueryText);
                    Assert.Equal([$"\"{EndpointId}\""], request.ValuesJson);
                },
                () => FaunaFake.Ok(EndpointDocument()))
            .Expect(_ => { }, () => FaunaFake.Ok(EndpointDocument(types: string.Empty)))
            .Expect(_ => { }, () => FaunaFake.Ok("null"))
            .Expect(_ => { }, () => FaunaFake.Ok("""{"@doc":{"id":"1","coll":{"@mod":"webhookEndpoint"},"endpointId":"x"}}"""));
        var store = Store();

        var filtered = await store.GetEndpointAsync(EndpointId, CancellationToken.None);
        var all = await store.GetEndpointAsync(EndpointId, CancellationToken.None);

        Assert.Equal(new WebhookEndpoint(EndpointId, "https://hooks.example.com/in", "v1.c2VhbGVk", filtered!.EventTypes, Created, true), filtered);
        Assert.Equal(["saasonboarding.tenant.registered"], filtered.EventTypes);
        Assert.Null(all!.EventTypes);
        Assert.Null(await store.GetEndpointAsync(EndpointId, CancellationToken.None));
        await Assert.ThrowsAsync<FaunaProtocolException>(() => store.GetEndpointAsync(EndpointId, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task EndpointsPageByIdAndAPageTokenOfAnotherListIsRefusedWithoutAQuery()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_list", lastTxnTs: null);
                    Assert.Equal("webhookEndpoint.sortedById().pageSize($0)", request.QueryText);
                    Assert.Equal(["""{"@int":"1"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$"""{"@set":{"data":[{{{EndpointDocument()}}}],"after":"cursor-2"}}"""))
            .Expect(
                request =>
                {
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"cursor-2\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$"""{"data":[{{EndpointDocument(OtherEndpointId)}}]}"""));
        var store = Store();

        var first = await store.ListEndpointsAsync(1, null, CancellationToken.None);
        var second = await store.ListEndpointsAsync(1, first.NextToken, CancellationToken.None);

        Assert.Equal(EndpointId, Assert.Single(first.Items).Id);
        Assert.Equal(OtherEndpointId, Assert.Single(second.Items).Id);
        Assert.Null(second.NextToken);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListEndpointsAsync(1, PageTokens.Encode("tenants", "cursor-2"), CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task DeletingAnEndpointTakesItsLogAndCursorsInTheSameQueryAndSaysWhetherThereWasOne()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_delete", lastTxnTs: null);
                    Assert.Equal(
                        "webhookDelivery.byEndpointId($0).forEach(d => d.delete())\nwebhookCursor.byEndpointId($1).forEach(c => c.delete())\n"
                        + "let e = webhookEndpoint.byEndpointId($2).first()\nif (e == null) {\n  false\n} else {\n  e!.delete()\n  true\n}",
                        request.QueryText);
                    Assert.All(request.ValuesJson, value => Assert.Equal($"\"{EndpointId}\"", value));
                },
                () => FaunaFake.Ok("true"))
            .Expect(_ => { }, () => FaunaFake.Ok("false"))
            .Expect(_ => { }, () => FaunaFake.Ok("null"));
        var store = Store();

        Assert.True(await store.DeleteEndpointAsync(EndpointId, CancellationToken.None));
        Assert.False(await store.DeleteEndpointAsync(EndpointId, CancellationToken.None));
        await Assert.ThrowsAsync<FaunaProtocolException>(() => store.DeleteEndpointAsync(EndpointId, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task DueWorkCrossesTheEnabledEndpointsWithTheTenantsNotRegisteringAndKeepsTheFreeCursorsBehindTheirTenantsLastSequence()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_due", lastTxnTs: null);
                    Assert.Equal(
                        "let endpoints = webhookEndpoint.sortedById().where(e => e.enabled).toArray()\n"
                        + "let registering = onboardingJournal.all().map(j => j.tenantId).toArray()\n"
                        + "outboxSequence.all().where(s => !registering.includes(s.tenantId)).toArray().flatMap(s => endpoints.map(e => {\n"
                        + "  let c = webhookCursor.byEndpointAndTenant(e.endpointId, s.tenantId).first()\n"
                        + "  let delivered = c?.deliveredSequence ?? 0\n"
                        + "  let due = { endpointId: e.endpointId, tenantId: s.tenantId, deliveredSequence: delivered, attempt: c?.attempt ?? 0 }\n"
                        + "  if (s.lastSequence > delivered && (c?.nextAttemptAt == null || c!.nextAttemptAt <= $0) && (c?.claimedUntil == null || c!.claimedUntil <= $1)) due else null\n"
                        + "})).where(due => due != null).take($2)",
                        request.QueryText);
                    Assert.Equal([$$"""{"@time":"{{T1}}"}""", $$"""{"@time":"{{T1}}"}""", """{"@int":"200"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$"""
                    [{"endpointId":"{{{EndpointId}}}","tenantId":"{{{TenantId}}}","deliveredSequence":{"@int":"3"},"attempt":{"@int":"0"}},
                     {"endpointId":"{{{OtherEndpointId}}}","tenantId":"{{{TenantId}}}","deliveredSequence":{"@long":"7"},"attempt":{"@int":"2"}}]
                    """))
            .Expect(_ => { }, () => FaunaFake.Ok("""[{"endpointId":"x"}]"""))
            .Expect(_ => { }, () => FaunaFake.Ok("[null]"));
        var store = Store();

        var due = await store.ListDueAsync(Later, 200, CancellationToken.None);

        Assert.Equal([new WebhookCursor(EndpointId, TenantId, 3, 0), new WebhookCursor(OtherEndpointId, TenantId, 7, 2)], due);
        await Assert.ThrowsAsync<FaunaProtocolException>(() => store.ListDueAsync(Later, 200, CancellationToken.None));
        await Assert.ThrowsAsync<FaunaProtocolException>(() => store.ListDueAsync(Later, 200, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AClaimIsOneConditionalWriteOnTheCursorAsListedAndARaceLostOnItsCreationIsNotAClaim()
    {
        var cursor = new WebhookCursor(EndpointId, TenantId, 3, 1);
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_claim", lastTxnTs: null);
                    Assert.Equal(
                        "let found = webhookCursor.byEndpointAndTenant($0, $1).first()\nlet c = if (found == null) {\n"
                        + "  webhookCursor.create({ endpointId: $2, tenantId: $3, deliveredSequence: 0, attempt: 0 })\n} else {\n  found!\n}\n"
                        + "if (c.deliveredSequence == $4 && c.attempt == $5 && (c.claimedUntil == null || c.claimedUntil <= $6)) {\n"
                        + "  c.update({ claimedBy: $7, claimedUntil: $8 })\n  true\n} else {\n  false\n}",
                        request.QueryText);
                    Assert.Equal(
                        [
                            $"\"{EndpointId}\"", $"\"{TenantId}\"", $"\"{EndpointId}\"", $"\"{TenantId}\"", """{"@long":"3"}""", """{"@int":"1"}""",
                            $$"""{"@time":"{{T0}}"}""", "\"instance-a\"", $$"""{"@time":"{{T1}}"}""",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok("true"))
            .Expect(_ => { }, () => FaunaFake.Ok("false"))
            .Expect(_ => { }, () => FaunaFake.ConstraintFailure("endpointId"))
            .Expect(_ => { }, () => FaunaFake.Error(503, "internal_error", "down"));
        var store = Store();

        Assert.True(await store.TryClaimAsync(cursor, "instance-a", Created, Later, CancellationToken.None));
        Assert.False(await store.TryClaimAsync(cursor, "instance-a", Created, Later, CancellationToken.None));
        Assert.False(await store.TryClaimAsync(cursor, "instance-a", Created, Later, CancellationToken.None));
        await Assert.ThrowsAsync<FaunaServiceException>(() => store.TryClaimAsync(cursor, "instance-a", Created, Later, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AdvancingMovesAHeldCursorWithItsLogEntryInOneQueryOrFreesItAndWritesNothingForAnotherHolder()
    {
        var delivery = new WebhookDelivery("d-1", EndpointId, "e-1", "saasonboarding.tenant.updated", TenantId, 2, WebhookOutcomes.Retrying, 500, "HTTP 500", null, Later, Later);
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_advance", lastTxnTs: null);
                    Assert.Equal(
                        "let c = webhookCursor.byEndpointAndTenant($0, $1).first()\nif (c != null && c!.claimedBy == $2) {\n  c!.update($3)\n"
                        + "  webhookDelivery.create($4)\nnull\n  true\n} else {\n  false\n}",
                        request.QueryText);
                    Assert.Equal(
                        [
                            $"\"{EndpointId}\"", $"\"{TenantId}\"", "\"instance-a\"",
                            $$$$"""{"deliveredSequence":{"@long":"4"},"attempt":{"@int":"0"},"nextAttemptAt":null,"claimedBy":"instance-a","claimedUntil":{"@time":"{{{{T1}}}}"}}""",
                            $$$$"""{"deliveryId":"d-1","endpointId":"{{{{EndpointId}}}}","eventId":"e-1","eventType":"saasonboarding.tenant.updated","tenantId":"{{{{TenantId}}}}","attempt":{"@int":"2"},"outcome":"retrying","status":{"@int":"500"},"error":"HTTP 500","responseExcerpt":null,"time":{"@time":"{{{{T1}}}}"},"nextAttemptAt":{"@time":"{{{{T1}}}}"}}""",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok("true"))
            .Expect(
                request =>
                {
                    Assert.Equal(
                        "let c = webhookCursor.byEndpointAndTenant($0, $1).first()\nif (c != null && c!.claimedBy == $2) {\n  c!.update($3)\n  null\n  true\n} else {\n  false\n}",
                        request.QueryText);
                    Assert.Equal(
                        $$$$"""{"deliveredSequence":{"@long":"4"},"attempt":{"@int":"1"},"nextAttemptAt":{"@time":"{{{{T1}}}}"},"claimedBy":null,"claimedUntil":null}""",
                        request.ValuesJson[3]);
                },
                () => FaunaFake.Ok("false"));
        var store = Store();

        Assert.True(await store.AdvanceAsync(new WebhookCursor(EndpointId, TenantId, 4, 0), "instance-a", Later, delivery, CancellationToken.None));
        Assert.False(await store.AdvanceAsync(new WebhookCursor(EndpointId, TenantId, 4, 1, Later), "instance-a", null, null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task TheDeliveryLogIsWrittenAndPagedNewestFirstAndOneEndpointsTokenNeverPagesAnothers()
    {
        var delivery = new WebhookDelivery("d-2", EndpointId, "e-1", "saasonboarding.tenant.updated", null, 1, WebhookOutcomes.Delivered, 204, null, null, Later, null);
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_delivery_append", lastTxnTs: null);
                    Assert.Equal("webhookDelivery.create($0)\nnull", request.QueryText);
                    Assert.Contains("\"deliveryId\":\"d-2\"", request.ValuesJson[0], StringComparison.Ordinal);
                    Assert.Contains("\"tenantId\":null", request.ValuesJson[0], StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "webhook_delivery_list", 1_700_000_000_000_001);
                    Assert.Equal("webhookDelivery.byEndpointId($0).pageSize($1)", request.QueryText);
                    Assert.Equal([$"\"{EndpointId}\"", """{"@int":"1"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$"""{"@set":{"data":[{{{DeliveryDocument("d-9")}}}],"after":"older"}}"""))
            .Expect(
                request =>
                {
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"older\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$"""{"data":[{{DeliveryDocument("d-8", "null")}}]}"""));
        var store = Store();

        await store.AppendDeliveryAsync(delivery, CancellationToken.None);
        var first = await store.ListDeliveriesAsync(EndpointId, 1, null, CancellationToken.None);
        var second = await store.ListDeliveriesAsync(EndpointId, 1, first.NextToken, CancellationToken.None);

        Assert.Equal(
            new WebhookDelivery("d-9", EndpointId, "e-1", "saasonboarding.tenant.updated", TenantId, 2, WebhookOutcomes.Retrying, 500, "HTTP 500", null, Later, Later),
            Assert.Single(first.Items));
        Assert.Null(Assert.Single(second.Items).Status);
        Assert.Null(second.NextToken);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => store.ListDeliveriesAsync(OtherEndpointId, 1, first.NextToken, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task PruningDeletesInOneQueryUpTo1000OldEventsEveryEndpointsCursorHasPassedAndAnswersHowMany()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "outbox_prune", lastTxnTs: null);
                    Assert.Equal(
                        "let endpoints = webhookEndpoint.all().map(w => w.endpointId).toArray()\n"
                        + "let old = outboxEvent.all().where(e => e.time < $0 && endpoints.every(id => (webhookCursor.byEndpointAndTenant(id, e.tenantId).first()?.deliveredSequence ?? 0) >= e.sequence)).take(1000).toArray()\n"
                        + "old.forEach(e => e.delete())\nold.length",
                        request.QueryText);
                    Assert.Equal([$$"""{"@time":"{{T1}}"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok("""{"@int":"7"}"""))
            .Expect(_ => { }, () => FaunaFake.Ok("null"));
        var store = Store();

        Assert.Equal(7, await store.PruneOutboxAsync(Later, CancellationToken.None));
        await Assert.ThrowsAsync<FaunaProtocolException>(() => store.PruneOutboxAsync(Later, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnEventForAReplayIsReadByItsIdIndexAndNullWhenItIsGone()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "outbox_get", lastTxnTs: null);
                    Assert.Equal("outboxEvent.byEventId($0).first()", request.QueryText);
                    Assert.Equal(["\"e-1\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$"""
                    {"@doc":{"id":"5","coll":{"@mod":"outboxEvent"},"eventId":"e-1","type":"saasonboarding.tenant.updated","tenantId":"{{{TenantId}}}",
                      "sequence":{"@int":"4"},"time":{"@time":"{{{T1}}}"},"data":"{\"tenantId\":\"x\"}"}}
                    """))
            .Expect(_ => { }, () => FaunaFake.Ok("null"));
        var store = Store();

        Assert.Equal(
            new OutboxEvent("e-1", "saasonboarding.tenant.updated", TenantId, 4, Later, """{"tenantId":"x"}"""),
            await store.GetEventAsync("e-1", CancellationToken.None));
        Assert.Null(await store.GetEventAsync("e-1", CancellationToken.None));
        _fake.VerifyAllAnswered();
    }
}
