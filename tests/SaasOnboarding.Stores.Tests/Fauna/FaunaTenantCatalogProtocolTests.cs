using System.Text.Json.Nodes;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

public sealed class FaunaTenantCatalogProtocolTests : IDisposable
{
    private const string TenantId = "0123456789abcdef0123456789abcdef";
    private const string T0 = "2026-11-27T10:00:00.000001Z";
    private const string T1 = "2026-11-27T11:30:00.500000Z";

    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero).AddTicks(10);
    private static readonly DateTimeOffset Updated = new(2026, 11, 27, 11, 30, 0, 500, TimeSpan.Zero);

    private readonly FaunaFake _fake = new();

    private static Tenant SampleTenant(string name = "Acme  Corp", TenantStatus status = TenantStatus.Provisioning) =>
        new(TenantId, name, "ops@acme.test", null, "1 Road", "Premium", status, Created, Updated);

    private static string TenantDocument(string id = TenantId, string name = "Acme  Corp", string status = "Active") => $$$$"""
        {"@doc":{"id":"412653216549831168","coll":{"@mod":"tenant"},"ts":{"@time":"{{{{T1}}}}"},
          "tenantName":"{{{{name}}}}","nameKey":"acme corp","tenantEmail":"ops@acme.test","tenantAddress":"1 Road",
          "tenantTier":"Premium","status":"{{{{status}}}}","tenantId":"{{{{id}}}}",
          "createdAt":{"@time":"{{{{T0}}}}"},"updatedAt":{"@time":"{{{{T1}}}}"}}}
        """;

    public void Dispose() => _fake.Dispose();

    // Through the port, as the app calls it: the overloads without a change record are the port's own.
#pragma warning disable CA1859
    private ITenantCatalog Catalog() =>
        new FaunaTenantCatalog(FaunaTestClient.Create(_fake), new LogCapture().CreateLogger<FaunaTenantCatalog>());
#pragma warning restore CA1859

    [Fact]
    public async Task InitializeRunsEachStepOfTheParentMigrationsInItsOwnQueryThenRecordsTheVersion()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_version", null);
                Assert.Equal(["\"schemaVersion\"", "\"schemaVersion\"", "\"tenant\""], request.ValuesJson);
            },
            () => FaunaFake.Ok("""{"recorded":null,"exists":false}"""));
        foreach (var name in new[] { "tenant", "tenantUser", "onboardingJournal" })
        {
            _fake.Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_migrate", 1_700_000_000_000_001);
                    Assert.Contains($"if (Collection.byName(\"{name}\") == null) {{\n  Collection.create({{\n    name: \"{name}\",", request.QueryText, StringComparison.Ordinal);
                    Assert.Empty(request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
        }

        _fake
            .Expect(request => request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_version_collection", 1_700_000_000_000_001), () => FaunaFake.Ok("true"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_version_record", 1_700_000_000_000_001);
                    Assert.Contains("""{"@int":"1"}""", request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
        ExpectOffboardingMigration();
        ExpectAuditMigration();
        ExpectWebhooksMigration();
        ExpectSharedByInstancesMigration();
        ExpectOutboxSequenceMigration();

        Assert.Equal(new SchemaUpgrade(0, 6), await Catalog().InitializeAsync(CancellationToken.None));

        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task InitializeRecordsVersionOneInAParentMadeBeforeVersionsRunsTheLaterMigrationsAndThenChangesNothing()
    {
        _fake
            .Expect(request => Assert.Equal("operation=schema_version", request.Header("X-Query-Tags")), () => FaunaFake.Ok("""{"recorded":null,"exists":true}"""))
            .Expect(request => Assert.Equal("operation=schema_version_collection", request.Header("X-Query-Tags")), () => FaunaFake.Ok("true"))
            .Expect(
                request =>
                {
                    Assert.Equal("operation=schema_version_record", request.Header("X-Query-Tags"));
                    Assert.Contains("""{"@int":"1"}""", request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
        ExpectOffboardingMigration();
        ExpectAuditMigration();
        ExpectWebhooksMigration();
        ExpectSharedByInstancesMigration();
        ExpectOutboxSequenceMigration();
        _fake.Expect(request => Assert.Equal("operation=schema_version", request.Header("X-Query-Tags")), () => FaunaFake.Ok("""{"recorded":{"@int":"6"},"exists":true}"""));

        Assert.Equal(new SchemaUpgrade(1, 6), await Catalog().InitializeAsync(CancellationToken.None));
        Assert.Equal(new SchemaUpgrade(6, 6), await Catalog().InitializeAsync(CancellationToken.None));

        _fake.VerifyAllAnswered();
        Assert.Equal(12, _fake.Received.Count(request => request.Header("X-Query-Tags") == "operation=schema_migrate"));
    }

    /// <summary>Migration 3 (audit log and outbox): one idempotent step per collection, then version 3 recorded.</summary>
    private void ExpectAuditMigration() => ExpectCollectionsMigration(3, "auditEntry", "outboxEvent");

    /// <summary>Migration 4 (webhooks).</summary>
    private void ExpectWebhooksMigration() => ExpectCollectionsMigration(4, "webhookEndpoint", "webhookCursor", "webhookDelivery");

    /// <summary>Migration 5 (shared by instances).</summary>
    private void ExpectSharedByInstancesMigration() => ExpectCollectionsMigration(5, "lease", "accessRevision", "rateWindow");

    /// <summary>
    /// Migration 6 (outbox sequences): the collection, the sequences of the events already written (only ever
    /// raised, so a rerun changes nothing), and the index of events by id, each its own query; then version 6.
    /// </summary>
    private void ExpectOutboxSequenceMigration()
    {
        _fake
            .Expect(request => Assert.Contains("if (Collection.byName(\"outboxSequence\") == null) {", request.QueryText, StringComparison.Ordinal), () => FaunaFake.Ok("null"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_migrate", 1_700_000_000_000_001);
                    Assert.Contains(
                        "Collection(\"outboxEvent\").all().forEach(e => {\n  let s = outboxSequence.byTenantId(e.tenantId).first()\n  if (s == null) {\n"
                        + "    outboxSequence.create({ tenantId: e.tenantId, lastSequence: e.sequence })\n  } else if (s!.lastSequence < e.sequence) {\n",
                        request.QueryText,
                        StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Contains("byEventId: { terms: [{ field: \".eventId\" }] }", request.QueryText, StringComparison.Ordinal), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal("operation=schema_version_collection", request.Header("X-Query-Tags")), () => FaunaFake.Ok("true"))
            .Expect(
                request =>
                {
                    Assert.Equal("operation=schema_version_record", request.Header("X-Query-Tags"));
                    Assert.Contains("""{"@int":"6"}""", request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
    }

    /// <summary>A migration that adds collections: one idempotent step per collection, then its version recorded.</summary>
    private void ExpectCollectionsMigration(int version, params string[] names)
    {
        foreach (var name in names)
        {
            _fake.Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_migrate", 1_700_000_000_000_001);
                    Assert.Contains($"if (Collection.byName(\"{name}\") == null) {{", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null"));
        }

        _fake
            .Expect(request => Assert.Equal("operation=schema_version_collection", request.Header("X-Query-Tags")), () => FaunaFake.Ok("true"))
            .Expect(
                request =>
                {
                    Assert.Equal("operation=schema_version_record", request.Header("X-Query-Tags"));
                    Assert.Contains($$"""{"@int":"{{version}}"}""", request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
    }

    /// <summary>Migration 2 (offboarding): one idempotent step adding the index by status, then version 2 recorded.</summary>
    private void ExpectOffboardingMigration() => _fake
        .Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "schema_migrate", 1_700_000_000_000_001);
                Assert.Contains("if (Collection.byName(\"tenant\")!.indexes.byStatus == null) {", request.QueryText, StringComparison.Ordinal);
                Assert.Contains("byStatus: { terms: [{ field: \".status\" }], values: [{ field: \".nameKey\" }, { field: \".tenantId\" }] }", request.QueryText, StringComparison.Ordinal);
            },
            () => FaunaFake.Ok("null"))
        .Expect(request => Assert.Equal("operation=schema_version_collection", request.Header("X-Query-Tags")), () => FaunaFake.Ok("true"))
        .Expect(
            request =>
            {
                Assert.Equal("operation=schema_version_record", request.Header("X-Query-Tags"));
                Assert.Contains("""{"@int":"2"}""", request.ValuesJson);
            },
            () => FaunaFake.Ok("null"));

    [Fact]
    public async Task ATenantIsInsertedWithItsNormalizedNameAndTaggedTimes()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_insert", lastTxnTs: null);
                Assert.Equal("tenant.create($0)\nnull", request.QueryText);
                Assert.Equal(
                    $$$$"""{"tenantName":"Acme  Corp","nameKey":"acme corp","tenantEmail":"ops@acme.test","tenantPhone":null,"tenantAddress":"1 Road","tenantTier":"Premium","updatedAt":{"@time":"{{{{T1}}}}"},"tenantId":"{{{{TenantId}}}}","status":"Provisioning","createdAt":{"@time":"{{{{T0}}}}"}}""",
                    Assert.Single(request.ValuesJson));
            },
            () => FaunaFake.Ok("null"));

        Assert.True(await Catalog().TryInsertTenantAsync(SampleTenant(), CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ADuplicateTenantNameFailsTheUniqueConstraintAndIsRefusedNotThrown()
    {
        _fake.Expect(request => Assert.Equal("tenant.create($0)\nnull", request.QueryText), () => FaunaFake.ConstraintFailure("nameKey"));

        Assert.False(await Catalog().TryInsertTenantAsync(SampleTenant(" ACME corp "), CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AConstraintFailureOnAnotherFieldIsNotMistakenForATakenName()
    {
        _fake.Expect(_ => { }, () => FaunaFake.ConstraintFailure("tenantId"));

        await Assert.ThrowsAsync<FaunaConstraintException>(() => Catalog().TryInsertTenantAsync(SampleTenant(), CancellationToken.None));
    }

    [Fact]
    public async Task ATenantIsReadByItsTenantIdIndex()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_get", lastTxnTs: null);
                    Assert.Equal("tenant.byTenantId($0).first()", request.QueryText);
                    Assert.Equal([$"\"{TenantId}\""], request.ValuesJson);
                },
                () => FaunaFake.Ok(TenantDocument()))
            .Expect(request => Assert.Equal("tenant.byTenantId($0).first()", request.QueryText), () => FaunaFake.Ok("null"));
        var catalog = Catalog();

        var tenant = await catalog.GetTenantAsync(TenantId, CancellationToken.None);
        var missing = await catalog.GetTenantAsync("ffffffffffffffffffffffffffffffff", CancellationToken.None);

        Assert.Equal(SampleTenant(status: TenantStatus.Active) with { UpdatedAt = Updated, TenantPhone = null }, tenant);
        Assert.Null(missing);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ListingTenantsFollowsTheAfterCursorWithSetPaginate()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_list", lastTxnTs: null);
                    Assert.Equal(ListedText + Filters + ".order(asc(.nameKey), asc(.tenantId)).pageSize($8)", request.QueryText);
                    Assert.Equal(["\"Provisioning\"", "\"Purged\"", "null", "null", "\"acme co\"", "\"acme co\"", "\"acme   co\"", "\"acme   co\"", """{"@int":"2"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{TenantDocument()}}}},{{{{TenantDocument("1111111111111111111111111111111a")}}}}],"after":"cursor+/1=="}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_list", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"cursor+/1==\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"data":[{{{{TenantDocument("2222222222222222222222222222222b")}}}}]}"""));
        var catalog = Catalog();

        var first = await catalog.ListTenantsAsync(2, null, "  ACME   Co ", null, CancellationToken.None);
        var second = await catalog.ListTenantsAsync(2, first.NextToken, "  ACME   Co ", null, CancellationToken.None);

        Assert.Equal([TenantId, "1111111111111111111111111111111a"], first.Items.Select(tenant => tenant.Id));
        Assert.NotNull(first.NextToken);
        Assert.DoesNotContain("cursor", first.NextToken, StringComparison.Ordinal);
        Assert.Equal(["2222222222222222222222222222222b"], second.Items.Select(tenant => tenant.Id));
        Assert.Null(second.NextToken);
        _fake.VerifyAllAnswered();
    }

    private const string ListedText = "tenant.all().where(t => t.status != $0 && t.status != $1)";

    private const string Filters =
        ".where(t => ($2 == null || t.tenantTier == $3) && ($4 == null || t.nameKey.includes($5) || t.tenantEmail.toLowerCase().includes($6) || t.tenantId.includes($7)))";

    [Fact]
    public async Task ListingByTierNewestFirstOrdersDescendingAndCountsTheSameSet()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_list", lastTxnTs: null);
                    Assert.Equal(ListedText + Filters + ".order(desc(.createdAt), desc(.tenantId)).pageSize($8)", request.QueryText);
                    Assert.Equal(["\"Provisioning\"", "\"Purged\"", "\"Premium\"", "\"Premium\"", "null", "null", "null", "null", """{"@int":"5"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{TenantDocument()}}}}]}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_count", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(ListedText + Filters + ".count()", request.QueryText);
                    Assert.Equal(["\"Provisioning\"", "\"Purged\"", "\"Premium\"", "\"Premium\"", "null", "null", "null", "null"], request.ValuesJson);
                },
                () => FaunaFake.Ok("""{"@int":"7"}"""));
        var query = new TenantQuery(Tier: "Premium", Sort: TenantSort.Created, Descending: true);
        var catalog = Catalog();

        var page = await catalog.ListTenantsAsync(query, 5, null, CancellationToken.None);
        var total = await catalog.CountTenantsAsync(query, CancellationToken.None);

        Assert.Equal([TenantId], page.Items.Select(tenant => tenant.Id));
        Assert.Equal(7, total);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ListingByPlanOrdersByThePlansPlaceNotByTheirSpelling()
    {
        _fake.Expect(
            request =>
            {
                Assert.Equal(ListedText + Filters + ".order(desc(t => $8.indexOf(t.tenantTier)), desc(.nameKey), desc(.tenantId)).pageSize($9)", request.QueryText);
                Assert.Equal("""["Basic","Standard","Premium","Platinum"]""", request.ValuesJson[8]);
            },
            () => FaunaFake.Ok("""{"@set":{"data":[]}}"""));

        await Catalog().ListTenantsAsync(new TenantQuery(Sort: TenantSort.Tier, Descending: true), 3, null, CancellationToken.None);

        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ATokenIssuedForAnotherSortOrFilterIsRefusedWithoutAQuery()
    {
        var token = PageTokens.Encode(FaunaTenantCatalog.ListName(new TenantQuery("acme")), "cursor");

        foreach (var other in new[] { new TenantQuery("acme", Sort: TenantSort.Tier), new TenantQuery("acme", Tier: "Basic"), new TenantQuery("acme", Descending: true), new TenantQuery("other") })
        {
            await Assert.ThrowsAsync<InvalidPageTokenException>(() => Catalog().ListTenantsAsync(other, 2, token, CancellationToken.None));
        }

        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task ATenantsMappingsAreListedByItsIndexFollowingTheAfterCursor()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_user_list", lastTxnTs: null);
                    Assert.Equal("tenantUser.byTenantId($0).pageSize($1)", request.QueryText);
                    Assert.Equal([$"\"{TenantId}\"", """{"@int":"1"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{"@doc":{"id":"1","coll":{"@mod":"tenantUser"},"ts":{"@time":"{{{{T0}}}}"},"userName":"alice","tenantId":"{{{{TenantId}}}}","enabled":true}}],"after":"cursor+/2=="}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_user_list", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"cursor+/2==\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"data":[{"@doc":{"id":"2","coll":{"@mod":"tenantUser"},"ts":{"@time":"{{{{T0}}}}"},"userName":"bob","tenantId":"{{{{TenantId}}}}","enabled":false}}]}"""));
        var catalog = Catalog();

        var first = await catalog.ListTenantUsersAsync(TenantId, 1, null, CancellationToken.None);
        var second = await catalog.ListTenantUsersAsync(TenantId, 1, first.NextToken, CancellationToken.None);

        Assert.Equal([new TenantUserMapping(TenantId, "alice", true)], first.Items);
        Assert.DoesNotContain("cursor", first.NextToken, StringComparison.Ordinal);
        Assert.Equal([new TenantUserMapping(TenantId, "bob", false)], second.Items);
        Assert.Null(second.NextToken);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ListingWithoutAFilterSendsANullValueForIt()
    {
        _fake.Expect(
            request => Assert.Equal(["\"Provisioning\"", "\"Purged\"", "null", "null", "null", "null", "null", "null", """{"@int":"50"}"""], request.ValuesJson),
            () => FaunaFake.Ok("""{"@set":{"data":[]}}"""));

        var page = await Catalog().ListTenantsAsync(50, null, null, null, CancellationToken.None);

        Assert.Empty(page.Items);
        Assert.Null(page.NextToken);
    }

    [Fact]
    public async Task AnExpiredCursorIsAnInvalidPageToken()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Error(400, "invalid_cursor", "Cursor expired"));

        await Assert.ThrowsAsync<InvalidPageTokenException>(
            () => Catalog().ListTenantsAsync(2, PageTokens.Encode(FaunaTenantCatalog.ListName(new TenantQuery()), "old"), null, null, CancellationToken.None));
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("WyJwcm9kdWN0cyIsImMiXQ")] // ["products","c"]: another list's cursor
    public async Task ATokenThisListDidNotIssueIsRefusedWithoutAQuery(string token)
    {
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => Catalog().ListTenantsAsync(2, token, null, null, CancellationToken.None));

        Assert.Empty(_fake.Received);
    }

    private const string WriteText =
        "let t = tenant.byTenantId($0).first()\nif (t == null) {\n  \"notFound\"\n} else if ($1 != null && t!.updatedAt != $2) {\n  \"versionMismatch\"\n} else {\n  let written = t!.update($3)\n  null\n  written\n}";

    [Fact]
    public async Task AnUpdateSendsOnlyTheGivenFieldsAndReportsEachOutcome()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_update", lastTxnTs: null);
                    Assert.Equal(WriteText, request.QueryText);
                    Assert.Equal(
                        [$"\"{TenantId}\"", "null", "null", $$$$"""{"tenantPhone":"+1 555","updatedAt":{"@time":"{{{{T1}}}}"}}"""],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok(TenantDocument()))
            .Expect(
                request =>
                {
                    Assert.Equal(WriteText, request.QueryText);
                    Assert.Equal(
                        [$"\"{TenantId}\"", $$$$"""{"@time":"{{{{T0}}}}"}""", $$$$"""{"@time":"{{{{T0}}}}"}""", $$$$"""{"tenantName":"ｆｕｌｌ Width","nameKey":"full width","tenantTier":"Basic","updatedAt":{"@time":"{{{{T1}}}}"}}"""],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok("\"versionMismatch\""))
            .Expect(request => Assert.Equal(WriteText, request.QueryText), () => FaunaFake.Ok("\"notFound\""))
            .Expect(request => Assert.Equal(WriteText, request.QueryText), () => FaunaFake.ConstraintFailure("nameKey"));
        var catalog = Catalog();

        var updated = await catalog.UpdateTenantAsync(TenantId, new TenantChanges(TenantPhone: "+1 555"), Updated, null, CancellationToken.None);
        var stale = await catalog.UpdateTenantAsync(TenantId, new TenantChanges(TenantName: "ｆｕｌｌ Width", TenantTier: "Basic"), Updated, Created, CancellationToken.None);
        var missing = await catalog.UpdateTenantAsync(TenantId, new TenantChanges(TenantPhone: "+1 555"), Updated, null, CancellationToken.None);
        var taken = await catalog.UpdateTenantAsync(TenantId, new TenantChanges(TenantName: "Acme"), Updated, null, CancellationToken.None);

        Assert.Equal(new TenantUpdateResult(TenantUpdateOutcome.Updated, SampleTenant(status: TenantStatus.Active)), updated);
        Assert.Equal(TenantUpdateResult.VersionMismatch, stale);
        Assert.Equal(TenantUpdateResult.NotFound, missing);
        Assert.Equal(TenantUpdateResult.NameTaken, taken);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task SettingTheStatusWritesTheStatusFieldItselfInTheSameCheckedQuery()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_set_status", lastTxnTs: null);
                Assert.Equal(WriteText, request.QueryText);
                Assert.Equal(
                    [$"\"{TenantId}\"", $$$$"""{"@time":"{{{{T0}}}}"}""", $$$$"""{"@time":"{{{{T0}}}}"}""", $$$$"""{"status":"Inactive","updatedAt":{"@time":"{{{{T1}}}}"}}"""],
                    request.ValuesJson);
            },
            () => FaunaFake.Ok(TenantDocument(status: "Inactive")));

        var result = await Catalog().SetTenantStatusAsync(TenantId, TenantStatus.Inactive, Updated, Created, CancellationToken.None);

        Assert.Equal(TenantUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(TenantStatus.Inactive, result.Tenant!.Status);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AChangeRecordRidesInTheWritesOwnQueryAfterTheUpdateAndOnlyInItsUpdatingBranch()
    {
        var entry = new AuditEntry("0193a1b2-0000-7000-8000-000000000001", Updated, "admin", "Operations", TenantId, "DELETE /tenant/{tenantId}", TenantId, AuditOutcomes.Succeeded, null, "192.0.2.1", "trace");
        var change = new LifecycleEvent("0193a1b2-0000-7000-8000-000000000002", "saasonboarding.tenant.deactivated", TenantId, Updated, """{"tenantId":"x"}""");
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_set_status", lastTxnTs: null);
                Assert.Equal(
                    "let t = tenant.byTenantId($0).first()\nif (t == null) {\n  \"notFound\"\n} else if ($1 != null && t!.updatedAt != $2) {\n  \"versionMismatch\"\n} else {\n"
                    + "  let written = t!.update($3)\n  auditEntry.create($4)\n$5.forEach(e => {\n  let s = outboxSequence.byTenantId(e.tenantId).first()\n"
                    + "  let next = (s?.lastSequence ?? 0) + 1\n  if (s == null) {\n    outboxSequence.create({ tenantId: e.tenantId, lastSequence: next })\n"
                    + "  } else {\n    s!.update({ lastSequence: next })\n  }\n  outboxEvent.create(Object.assign(e, { sequence: next }))\n})\nnull\n  written\n}",
                    request.QueryText);
                var audit = JsonNode.Parse(request.ValuesJson[4])!.AsObject();
                Assert.Equal(("admin", "DELETE /tenant/{tenantId}", "succeeded", "192.0.2.1"), ((string)audit["actor"]!, (string)audit["action"]!, (string)audit["outcome"]!, (string)audit["clientAddress"]!));
                var events = JsonNode.Parse(request.ValuesJson[5])!.AsArray();
                Assert.Equal("saasonboarding.tenant.deactivated", (string)Assert.Single(events)!["type"]!);
                Assert.Equal("""{"tenantId":"x"}""", (string)events[0]!["data"]!);
            },
            () => FaunaFake.Ok(TenantDocument(status: "Inactive")));

        var result = await Catalog().SetTenantStatusAsync(TenantId, TenantStatus.Inactive, Updated, Created, new ChangeRecord(entry, [change]), CancellationToken.None);

        Assert.Equal(TenantUpdateOutcome.Updated, result.Outcome);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task StartingOffboardingWritesTheStatusAndTheOffboardingFieldsInTheCheckedQueryAndReadsThemBack()
    {
        var purgeAfter = Updated.AddDays(30);
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_set_offboarding", lastTxnTs: null);
                Assert.Equal(WriteText, request.QueryText);
                Assert.Equal(
                    $$$$"""{"status":"Offboarding","updatedAt":{"@time":"{{{{T1}}}}"},"offboardingStartedAt":{"@time":"{{{{T1}}}}"},"purgeAfter":{"@time":"2026-12-27T11:30:00.500000Z"},"offboardedBy":"admin","offboardedByRole":"SystemAdmin","statusBeforeOffboarding":"Active"}""",
                    request.ValuesJson[3]);
            },
            () => FaunaFake.Ok(TenantDocument(status: "Offboarding").Replace(
                "\"createdAt\"",
                $$$$"""
                "offboardingStartedAt":{"@time":"{{{{T1}}}}"},"purgeAfter":{"@time":"2026-12-27T11:30:00.500000Z"},"offboardedBy":"admin",
                "offboardedByRole":"SystemAdmin","statusBeforeOffboarding":"Active","createdAt"
                """,
                StringComparison.Ordinal)));

        var offboarding = new TenantOffboarding(Updated, purgeAfter, "admin", "SystemAdmin", TenantStatus.Active);
        var result = await Catalog().SetOffboardingAsync(TenantId, TenantStatus.Offboarding, offboarding, Updated, Created, CancellationToken.None);

        Assert.Equal((TenantStatus.Offboarding, offboarding), (result.Tenant!.Status, result.Tenant.Offboarding));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task CancellingOffboardingSendsNullOffboardingFieldsWhichRemovesThem()
    {
        _fake.Expect(
            request => Assert.Equal(
                $$$$"""{"status":"Inactive","updatedAt":{"@time":"{{{{T1}}}}"},"offboardingStartedAt":null,"purgeAfter":null,"offboardedBy":null,"offboardedByRole":null,"statusBeforeOffboarding":null}""",
                request.ValuesJson[3]),
            () => FaunaFake.Ok(TenantDocument(status: "Inactive")));

        var result = await Catalog().SetOffboardingAsync(TenantId, TenantStatus.Inactive, null, Updated, null, CancellationToken.None);

        Assert.Equal((TenantStatus.Inactive, (TenantOffboarding?)null), (result.Tenant!.Status, result.Tenant.Offboarding));
    }

    [Fact]
    public async Task TheTombstoneDropsTheMappingsErasesContactsAndFreesTheNameOfAPurgingTenantInOneQuery()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_tombstone", lastTxnTs: null);
                Assert.Equal(
                    """
                    let t = tenant.byTenantId($0).first()
                    if (t != null && t!.status == $1) {
                      tenantUser.byTenantId($2).forEach(u => u.delete())
                      t!.update({ status: $3, nameKey: t!.nameKey + $4 + t!.tenantId, tenantEmail: "", tenantPhone: null, tenantAddress: null, updatedAt: $5 })
                      null
                    }
                    null
                    """,
                    request.QueryText);
                Assert.Equal(
                    [$"\"{TenantId}\"", "\"Purging\"", $"\"{TenantId}\"", "\"Purged\"", "\"\\u001F\"", $$$$"""{"@time":"{{{{T1}}}}"}"""],
                    request.ValuesJson);
            },
            () => FaunaFake.Ok("null"));

        await Catalog().WriteTombstoneAsync(TenantId, Updated, CancellationToken.None);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ListingOneStatusReadsTheIndexByStatus()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_list", lastTxnTs: null);
                Assert.Equal(
                    "tenant.byStatus($0).where(t => ($1 == null || t.tenantTier == $2) && ($3 == null || t.nameKey.includes($4) || t.tenantEmail.toLowerCase().includes($5) || t.tenantId.includes($6))).order(asc(.nameKey), asc(.tenantId)).pageSize($7)",
                    request.QueryText);
                Assert.Equal(["\"Offboarding\"", "null", "null", "null", "null", "null", "null", """{"@int":"100"}"""], request.ValuesJson);
            },
            () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{TenantDocument(status: "Offboarding")}}}}]}}"""));

        var page = await Catalog().ListTenantsAsync(100, null, null, TenantStatus.Offboarding, CancellationToken.None);

        Assert.Equal(TenantStatus.Offboarding, Assert.Single(page.Items).Status);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task DeletingATenantDeletesItItsMappingsItsEventsAndItsSequenceInOneQuery()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_delete", lastTxnTs: null);
                Assert.Equal(
                    "tenant.byTenantId($0).forEach(t => t.delete())\ntenantUser.byTenantId($1).forEach(u => u.delete())\n"
                    + "outboxEvent.byTenantId($2).forEach(e => e.delete())\n"
                    + "outboxSequence.byTenantId($3).forEach(s => s.delete())\nnull",
                    request.QueryText);
                Assert.Equal([$"\"{TenantId}\"", $"\"{TenantId}\"", $"\"{TenantId}\"", $"\"{TenantId}\""], request.ValuesJson);
            },
            () => FaunaFake.Ok("null"));

        await Catalog().DeleteTenantAsync(TenantId, CancellationToken.None);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task TenantUserMappingsAreUpsertedReadAndRemovedByUserName()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_user_upsert", lastTxnTs: null);
                    Assert.Equal("let u = tenantUser.byUserName($0).first()\nif (u == null) {\n  tenantUser.create($1)\n} else {\n  u!.update($2)\n}\nnull", request.QueryText);
                    var fields = $$$$"""{"userName":"tenant-admin-x","tenantId":"{{{{TenantId}}}}","enabled":true}""";
                    Assert.Equal(["\"tenant-admin-x\"", fields, fields], request.ValuesJson);
                },
                () => FaunaFake.Ok("null"))
            .Expect(
                request =>
                {
                    Assert.Equal("tenantUser.byUserName($0).first()", request.QueryText);
                    Assert.Equal(["\"tenant-admin-x\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@doc":{"id":"1","coll":{"@mod":"tenantUser"},"ts":{"@time":"{{{{T0}}}}"},"userName":"tenant-admin-x","tenantId":"{{{{TenantId}}}}","enabled":true}}"""))
            .Expect(request => Assert.Equal("tenantUser.byUserName($0).first()", request.QueryText), () => FaunaFake.Ok("null"))
            .Expect(
                request =>
                {
                    Assert.Equal("tenantUser.byUserName($0).forEach(u => u.delete())\nnull", request.QueryText);
                    Assert.Equal(["\"tenant-admin-x\""], request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
        var catalog = Catalog();

        await catalog.UpsertTenantUserAsync(new TenantUserMapping(TenantId, "tenant-admin-x", true), CancellationToken.None);
        var found = await catalog.GetTenantUserAsync("tenant-admin-x", CancellationToken.None);
        var missing = await catalog.GetTenantUserAsync("nobody", CancellationToken.None);
        await catalog.RemoveTenantUserAsync("tenant-admin-x", CancellationToken.None);

        Assert.Equal(new TenantUserMapping(TenantId, "tenant-admin-x", true), found);
        Assert.Null(missing);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task DisablingATenantsUsersMatchesMappingsByTenantIdAndAnswersTheirNames()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(FaunaTestClient.Secret, "tenant_users_set_enabled", lastTxnTs: null);
                Assert.Equal(
                    "let users = tenantUser.byTenantId($0).toArray()\nlet changed = users.where(u => u.enabled != $1).map(u => u.userName)\n"
                    + "users.where(u => u.enabled != $2).forEach(u => u.update({ enabled: $3 }))\nnull\nusers.map(u => u.userName)",
                    request.QueryText);
                Assert.Equal([$"\"{TenantId}\"", "false", "false", "false"], request.ValuesJson);
            },
            () => FaunaFake.Ok("""["alice","tenant-admin-x"]"""));

        var names = await Catalog().SetTenantUsersEnabledAsync(TenantId, false, CancellationToken.None);

        Assert.Equal(["alice", "tenant-admin-x"], names);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ABulkChangeSendsEachUsersEventWithItsNameAndWritesThoseOfTheNamesItChangesAfterTheRecordsOwn()
    {
        var entry = new AuditEntry("0193a1b2-0000-7000-8000-000000000001", Updated, "admin", "Operations", TenantId, "users enable", TenantId, AuditOutcomes.Succeeded, null, null, null);
        LifecycleEvent Enabled(string id) => new(id, "saasonboarding.user.enabled", TenantId, Updated, """{"userName":"x"}""");
        _fake.Expect(
            request =>
            {
                Assert.Equal(
                    "let users = tenantUser.byTenantId($0).toArray()\nlet changed = users.where(u => u.enabled != $1).map(u => u.userName)\n"
                    + "users.where(u => u.enabled != $2).forEach(u => u.update({ enabled: $3 }))\nauditEntry.create($4)\n"
                    + "$5.concat($6.where(c => changed.includes(c.userName)).map(c => c.event)).forEach(e => {\n",
                    request.QueryText[..(request.QueryText.IndexOf(".forEach(e => {", StringComparison.Ordinal) + ".forEach(e => {\n".Length)]);
                Assert.Equal("[]", request.ValuesJson[5]);
                Assert.Equal(
                    $$$$"""[{"userName":"alice","event":{"eventId":"e-a","tenantId":"{{{{TenantId}}}}","type":"saasonboarding.user.enabled","time":{"@time":"{{{{T1}}}}"},"data":"{\"userName\":\"x\"}"}},"""
                    + $$$$"""{"userName":"bob","event":{"eventId":"e-b","tenantId":"{{{{TenantId}}}}","type":"saasonboarding.user.enabled","time":{"@time":"{{{{T1}}}}"},"data":"{\"userName\":\"x\"}"}}]""",
                    request.ValuesJson[6]);
            },
            () => FaunaFake.Ok("""["alice","bob"]"""));

        var names = await Catalog().SetTenantUsersEnabledAsync(
            TenantId, true, new ChangeRecord(entry, []), new Dictionary<string, LifecycleEvent> { ["bob"] = Enabled("e-b"), ["alice"] = Enabled("e-a") }, CancellationToken.None);

        Assert.Equal(["alice", "bob"], names);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task TheJournalIsUpsertedByTenantAndListedAcrossPagesInUpdateOrder()
    {
        var journal = new OnboardingJournal(TenantId, "Acme", "instance-1", ["reserve", "database"], Updated);
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "journal_write", lastTxnTs: null);
                    Assert.Equal("let j = onboardingJournal.byTenantId($0).first()\nif (j == null) {\n  onboardingJournal.create($1)\n} else {\n  j!.update($2)\n}\nnull", request.QueryText);
                    Assert.Equal(
                        [
                            $"\"{TenantId}\"",
                            $$$$"""{"tenantId":"{{{{TenantId}}}}","tenantName":"Acme","instanceId":"instance-1","steps":["reserve","database"],"updatedAt":{"@time":"{{{{T1}}}}"}}""",
                            $$$$"""{"instanceId":"instance-1","steps":["reserve","database"],"updatedAt":{"@time":"{{{{T1}}}}"}}""",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok("null"))
            .Expect(
                request =>
                {
                    Assert.Equal("onboardingJournal.sortedByUpdatedAt().pageSize($0)", request.QueryText);
                    Assert.Equal(["""{"@int":"100"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{"@doc":{"id":"1","coll":{"@mod":"onboardingJournal"},"tenantId":"{{{{TenantId}}}}","tenantName":"Acme","instanceId":"instance-1","steps":["reserve"],"updatedAt":{"@time":"{{{{T0}}}}"}}}],"after":"next"}}"""))
            .Expect(
                request =>
                {
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"next\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"data":[{"@doc":{"id":"2","coll":{"@mod":"onboardingJournal"},"tenantId":"ffffffffffffffffffffffffffffffff","tenantName":"Beta","instanceId":"instance-2","steps":[],"updatedAt":{"@time":"{{{{T1}}}}"}}}]}"""))
            .Expect(
                request =>
                {
                    Assert.Equal("onboardingJournal.byTenantId($0).forEach(j => j.delete())\nnull", request.QueryText);
                    Assert.Equal([$"\"{TenantId}\""], request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));
        var catalog = Catalog();

        await catalog.WriteJournalAsync(journal, CancellationToken.None);
        var journals = await catalog.ListJournalsAsync(CancellationToken.None);
        await catalog.DeleteJournalAsync(TenantId, CancellationToken.None);

        Assert.Equal(2, journals.Count);
        Assert.Equal((TenantId, "Acme", "instance-1", Created), (journals[0].TenantId, journals[0].TenantName, journals[0].InstanceId, journals[0].UpdatedAt));
        Assert.Equal(["reserve"], journals[0].StepsStarted);
        Assert.Equal("Beta", journals[1].TenantName);
        Assert.Empty(journals[1].StepsStarted);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task PingIsOneCheapQueryAndFailsWhenTheNodeDoes()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "ping", lastTxnTs: null);
                    Assert.Equal("Collection.byName($0) != null", request.QueryText);
                },
                () => FaunaFake.Ok("true"))
            .Expect(_ => { }, () => FaunaFake.Error(503, "internal_error", "down"));
        var catalog = Catalog();

        await catalog.PingAsync(CancellationToken.None);
        await Assert.ThrowsAsync<FaunaServiceException>(() => catalog.PingAsync(CancellationToken.None));
        _fake.VerifyAllAnswered();
    }
}
