using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

public sealed class FaunaTenantDatabaseProtocolTests : IDisposable
{
    private const string TenantId = "0123456789abcdef0123456789abcdef";
    private const string Database = "tenant_" + TenantId;
    private const string ChildServer = FaunaTestClient.Secret + ":" + Database + ":server";
    private const string ChildAdmin = FaunaTestClient.Secret + ":" + Database + ":admin";
    private const string Now = "2026-11-27T10:00:00.000000Z";

    private readonly FaunaFake _fake = new();
    private readonly FixedTime _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _fake.Dispose();

    private FaunaTenantDatabases Databases(LogCapture? logs = null) =>
        new(FaunaTestClient.Create(_fake, logs), (logs ?? new LogCapture()).CreateLogger<FaunaTenantDatabases>(), _time);

    /// <summary>The child client without the schema version check before its first query (FaunaSchemaVersionTests has that).</summary>
    private FaunaTenantDatabase Tenant() => new(FaunaTestClient.Create(_fake), TenantId, _time);

    private static string ProductDocument(string id, string name = "Pen", string sku = "PEN-1", string priceCents = "1999", int quantity = 5) => $$$$"""
        {"@doc":{"id":"{{{{id}}}}","coll":{"@mod":"product"},"ts":{"@time":"{{{{Now}}}}"},
          "name":"{{{{name}}}}","description":"Blue","sku":"{{{{sku}}}}","priceCents":{"@long":"{{{{priceCents}}}}"},
          "quantity":{"@int":"{{{{quantity}}}}"},"backorderedLimit":{"@int":"2"},
          "createdAt":{"@time":"{{{{Now}}}}"},"updatedAt":{"@time":"{{{{Now}}}}"}}}
        """;

    private static string OrderDocument(string id, string status = "processing") => $$$$"""
        {"@doc":{"id":"{{{{id}}}}","coll":{"@mod":"order"},"ts":{"@time":"{{{{Now}}}}"},
          "orderName":"First","creationDate":{"@time":"{{{{Now}}}}"},"status":"{{{{status}}}}",
          "orderProducts":[
            {"productId":"101","productName":"Pen","productSku":"PEN-1","productDescription":"Blue","quantity":{"@int":"2"},"priceCents":{"@long":"1999"}},
            {"productId":"102","productName":"Pad","productSku":"PAD-1","productDescription":null,"quantity":{"@int":"1"},"priceCents":{"@long":"9007199254740993"}}
          ]}}
        """;

    [Fact]
    public async Task CreatingAChildDatabaseCreatesItInTheParentThenRunsEveryMigrationStepInItsOwnQueryAndRecordsTheLatestVersion()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "database_create", lastTxnTs: null);
                    Assert.Equal("Database.create($0)\nnull", request.QueryText);
                    Assert.Equal([$$$$"""{"name":"{{{{Database}}}}"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok("null", txnTs: 10))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_migrate", lastTxnTs: 10);
                    Assert.Contains("Collection.create({\n    name: \"product\"", request.QueryText, StringComparison.Ordinal);
                    Assert.Empty(request.ValuesJson);
                },
                () => FaunaFake.Ok("null", txnTs: 11))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_migrate", lastTxnTs: 11);
                    Assert.Contains("Collection.create({\n    name: \"order\"", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null", txnTs: 12))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_migrate", lastTxnTs: 12);
                    Assert.StartsWith("product.all().forEach(", request.QueryText.Split("\n").First(line => !line.StartsWith("//", StringComparison.Ordinal)), StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null", txnTs: 13))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_migrate", lastTxnTs: 13);
                    Assert.Contains("{ unique: [{ field: \".skuKey\" }] }", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null", txnTs: 14))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_migrate", lastTxnTs: 14);
                    Assert.Contains("Collection.create({\n    name: \"auditEntry\"", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null", txnTs: 15))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_migrate", lastTxnTs: 15);
                    Assert.Contains("newestFirst: { values: [{ field: \".creationDate\", order: \"desc\" }] }", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("null", txnTs: 16))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_version_collection", lastTxnTs: 16);
                    Assert.Equal(["\"schemaVersion\"", """{"name":"schemaVersion"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok("true", txnTs: 17))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_version_record", lastTxnTs: 17);
                    Assert.Contains("""{"@int":"4"}""", request.ValuesJson);
                },
                () => FaunaFake.Ok("null", txnTs: 18));

        await Databases().CreateAsync(TenantId, CancellationToken.None);

        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AFailedHydrationIsCompensatedByDeletingTheChildDatabase()
    {
        var logs = new LogCapture();
        _fake
            .Expect(request => Assert.Equal("Database.create($0)\nnull", request.QueryText), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Contains("name: \"product\"", request.QueryText, StringComparison.Ordinal), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Contains("name: \"order\"", request.QueryText, StringComparison.Ordinal), () => FaunaFake.Error(409, "contended_transaction", "Schema contention"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "database_delete", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal("Database.byName($0)?.delete()\nnull", request.QueryText);
                    Assert.Equal([$"\"{Database}\""], request.ValuesJson);
                },
                () => FaunaFake.Ok("null"));

        await Assert.ThrowsAsync<FaunaContendedException>(() => Databases(logs).CreateAsync(TenantId, CancellationToken.None));

        _fake.VerifyAllAnswered();
        Assert.Contains(logs.Lines, line => line.Contains("deleting it", StringComparison.Ordinal) && line.Contains(TenantId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChildDatabaseThatExistsAlreadyIsNeitherHydratedNorDeleted()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Error(400, "constraint_failure", "A database with that name exists."));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Databases().CreateAsync(TenantId, CancellationToken.None));

        Assert.Single(_fake.Received);
    }

    [Fact]
    public async Task AnUpgradeOfAMissingChildDatabaseAndItsDeletionAreAskedOfTheParent()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "database_exists", lastTxnTs: null);
                    Assert.Equal("Database.byName($0) != null", request.QueryText);
                    Assert.Equal([$"\"{Database}\""], request.ValuesJson);
                },
                () => FaunaFake.Ok("false"))
            .Expect(request => Assert.Equal("Database.byName($0)?.delete()\nnull", request.QueryText), () => FaunaFake.Ok("null"));
        var databases = Databases();

        Assert.Null(await databases.UpgradeAsync(TenantId, CancellationToken.None));
        await databases.DeleteAsync(TenantId, CancellationToken.None);
        _fake.VerifyAllAnswered();
    }

    [Theory]
    [InlineData("../other")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("tenant_x:admin")]
    public void AChildDatabaseIsNeverOpenedForSomethingThatIsNotATenantId(string tenantId)
    {
        Assert.Throws<ArgumentException>(() => Databases().Open(tenantId));
    }

    [Fact]
    public async Task AProductIsCreatedInTheChildDatabaseWithItsPriceInIntegerCents()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(ChildServer, "product_create", lastTxnTs: null);
                Assert.Equal("product.create($0)", request.QueryText);
                Assert.Equal(
                    [$$$$"""{"name":"Pen","description":"Blue","sku":"PEN-1","skuKey":"pen-1","priceCents":{"@long":"1999"},"quantity":{"@int":"5"},"backorderedLimit":{"@int":"2"},"updatedAt":{"@time":"{{{{Now}}}}"},"createdAt":{"@time":"{{{{Now}}}}"}}"""],
                    request.ValuesJson);
            },
            () => FaunaFake.Ok(ProductDocument("101")));

        var write = await Tenant().CreateProductAsync(new ProductDraft("Pen", "Blue", "PEN-1", 19.99m, 5, 2), CancellationToken.None);

        Assert.Equal(WriteOutcome.Done, write.Outcome);
        Assert.Equal(new Product("101", "Pen", "Blue", "PEN-1", 19.99m, 5, 2, _time.GetUtcNow(), _time.GetUtcNow()), write.Product);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AProductsCreationCarriesItsAuditEntryInItsOwnQueryNamingTheNewDocument()
    {
        var entry = new AuditEntry("0193a1b2-0000-7000-8000-000000000001", _time.GetUtcNow(), "alice", "Tenant", TenantId, "POST /product", null, AuditOutcomes.Succeeded, null, "192.0.2.1", "trace-1");
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(ChildServer, "product_create", lastTxnTs: null);
                Assert.Equal("let created = product.create($0)\nauditEntry.create(Object.assign($1, { target: created.id }))\ncreated", request.QueryText);
                Assert.Equal(
                    $$$$"""{"entryId":"0193a1b2-0000-7000-8000-000000000001","time":{"@time":"{{{{Now}}}}"},"actor":"alice","actorPool":"Tenant","tenantId":"{{{{TenantId}}}}","action":"POST /product","target":null,"outcome":"succeeded","status":null,"clientAddress":"192.0.2.1","traceId":"trace-1"}""",
                    request.ValuesJson[1]);
            },
            () => FaunaFake.Ok(ProductDocument("101")));

        var write = await Audited(() => entry).CreateProductAsync(new ProductDraft("Pen", "Blue", "PEN-1", 19.99m, 5, 2), CancellationToken.None);

        Assert.Equal("101", write.Product!.Id);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnOrdersDeletionCarriesItsAuditEntryAfterItsChecksInTheSameQueryAndTheLogListsAndPrunesInTheChild()
    {
        var entry = new AuditEntry("0193a1b2-0000-7000-8000-000000000002", _time.GetUtcNow(), "alice", "Tenant", TenantId, "DELETE /order/{id}", null, AuditOutcomes.Succeeded, null, null, null);
        _fake
            .Expect(request => Assert.Equal("order_read", request.Header("X-Query-Tags")?.Split('=')[1]), () => FaunaFake.Ok(OrderWithProducts("delivered", ProductDocument("101"), ProductDocument("102"))))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_delete", lastTxnTs: 1_700_000_000_000_001);
                    Assert.EndsWith("auditEntry.create(Object.assign($6, { target: $7 }))\no!.delete()\ntrue", request.QueryText, StringComparison.Ordinal);
                    Assert.StartsWith("let o = order.byId($0)", request.QueryText, StringComparison.Ordinal);
                    Assert.Equal("\"201\"", request.ValuesJson[7]);
                },
                () => FaunaFake.Ok("true"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "audit_list", lastTxnTs: 1_700_000_000_000_001);
                    Assert.StartsWith("auditEntry.sortedByTime().where(", request.QueryText, StringComparison.Ordinal);
                    Assert.EndsWith(".take($12).toArray()", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("[]"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "audit_prune", lastTxnTs: 1_700_000_000_000_001);
                    Assert.StartsWith("let old = auditEntry.sortedByTime().where(e => e.time < $0)", request.QueryText, StringComparison.Ordinal);
                },
                () => FaunaFake.Ok("""{"@int":"4"}"""));
        var database = Audited(() => entry);

        Assert.Equal(WriteOutcome.Done, (await database.DeleteOrderAsync("201", null, CancellationToken.None)).Outcome);
        Assert.Empty(await database.ListAuditAsync(new AuditQuery(Before: new AuditPosition(_time.GetUtcNow(), "x")), 10, CancellationToken.None));
        Assert.Equal(4, await database.PruneAuditAsync(_time.GetUtcNow(), CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    private FaunaTenantDatabase Audited(DataPlaneAudit audit) => new(FaunaTestClient.Create(_fake), TenantId, _time, audit: audit);

    [Fact]
    public async Task AnImportCreatesEveryProductAndOrderWithItsIdInOneQuery()
    {
        var created = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(ChildServer, "records_import", lastTxnTs: null);
                Assert.Equal("$0.forEach(p => product.create(p))\n$1.forEach(o => order.create(o))\nnull", request.QueryText);
                Assert.Equal(2, request.ValuesJson.Count);
                Assert.Equal(
                        """[{"name":"Pen","description":"Blue","sku":"PEN-1","skuKey":"pen-1","priceCents":{"@long":"1050"},"quantity":{"@int":"7"},"backorderedLimit":{"@int":"9"},"updatedAt":{"@time":"2025-03-05T05:06:07.000000Z"},"id":"101","createdAt":{"@time":"2025-03-04T05:06:07.000000Z"}}]""",
                        request.ValuesJson[0]);
                Assert.Equal(
                        """[{"id":"201","orderName":"Shipped","creationDate":{"@time":"2025-03-04T06:06:07.000000Z"},"status":"shipped","orderProducts":[{"productId":"101","productName":"Pen","productSku":"PEN-1","productDescription":"Blue","quantity":{"@int":"2"},"priceCents":{"@long":"1050"}}]}]""",
                        request.ValuesJson[1]);
            },
            () => FaunaFake.Ok("null"));

        await Tenant().ImportAsync(
            [new Product("101", "Pen", "Blue", "PEN-1", 10.50m, 7, 9, created, created.AddDays(1))],
            [new Order("201", "Shipped", created.AddHours(1), OrderStatus.Shipped, [new OrderLine("101", "Pen", "PEN-1", "Blue", 2, 10.50m)])],
            CancellationToken.None);

        _fake.VerifyAllAnswered();
    }

    [Fact]
    public void FaunaKeepsOnlyTheIdsItWouldMakeItself()
    {
        var databases = Databases();

        Assert.True(databases.KeepsRecordId("412654321987654321"));
        Assert.False(databases.KeepsRecordId("0123456789abcdef0123456789abcdef"));
        Assert.False(databases.KeepsRecordId(""));
    }

    [Fact]
    public async Task ATakenSkuIsAConflict()
    {
        _fake.Expect(_ => { }, () => FaunaFake.ConstraintFailure("sku"));

        var write = await Tenant().CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0), CancellationToken.None);

        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("-1")]
    public async Task APriceFinerThanACentOrBelowZeroIsRefusedBeforeAnythingIsSent(string price)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Tenant().CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), 1, 0), CancellationToken.None));

        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task AnOrderWithoutLinesOrWithALineBelowOneIsRefusedBeforeAnythingIsSent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Tenant().CreateOrderAsync("Empty", [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Tenant().CreateOrderAsync("Zero", [new OrderLineRequest("101", 0)], CancellationToken.None));

        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task ReadingAProductUsesItsDocumentIdAndAMissingOneIsNull()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_get", lastTxnTs: null);
                    Assert.Equal("product.byId($0)", request.QueryText);
                    Assert.Equal(["\"101\""], request.ValuesJson);
                },
                () => FaunaFake.Ok(ProductDocument("101", priceCents: "922337203685477807")))
            .Expect(_ => { }, () => FaunaFake.Ok("""{"@ref":{"id":"999","coll":{"@mod":"product"},"exists":false,"cause":"not found"}}"""));
        var tenant = Tenant();

        var product = await tenant.GetProductAsync("101", CancellationToken.None);
        var missing = await tenant.GetProductAsync("999", CancellationToken.None);
        var notAnId = await tenant.GetProductAsync("abc", CancellationToken.None);

        Assert.Equal(9_223_372_036_854_778.07m, product!.Price);
        Assert.False(product.Backordered);
        Assert.Null(missing);
        Assert.Null(notAnId);
        Assert.Equal(2, _fake.Received.Count);
        _fake.VerifyAllAnswered();
    }

    [Theory]
    [InlineData("1050", "10.50")]
    [InlineData("300", "3.00")]
    [InlineData("10", "0.10")]
    public async Task APriceReadsBackWithTwoDecimalsAsInTheOtherStores(string priceCents, string price)
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("101", priceCents: priceCents)));

        var product = await Tenant().GetProductAsync("101", CancellationToken.None);

        Assert.Equal(price, product!.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task UpdatingAProductReadsItThenWritesTheRevisionOnlyIfItHasNotMoved()
    {
        const string text = """
            let p = product.byId($0)
            if (p == null || p!.ts != $1) {
              abort({ reason: $2 })
            }
            p!.update($3)
            """;
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_get", lastTxnTs: null);
                    Assert.Equal("product.byId($0)", request.QueryText);
                    Assert.Equal(["\"101\""], request.ValuesJson);
                },
                () => FaunaFake.Ok(ProductDocument("101")))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_update", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(text, request.QueryText);
                    // Stamped after the stored updatedAt, which the clock has not passed: the version still moves.
                    Assert.Equal(
                        ["\"101\"", $$$$"""{"@time":"{{{{Now}}}}"}""", "\"changed\"", $$$$"""{"name":"Pen","description":null,"sku":"PEN-2","skuKey":"pen-2","priceCents":{"@long":"250"},"quantity":{"@int":"1"},"backorderedLimit":{"@int":"3"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}}"""],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok(ProductDocument("101", sku: "PEN-2", priceCents: "250", quantity: 1)))
            .Expect(request => Assert.Equal("product.byId($0)", request.QueryText), () => FaunaFake.Ok(MissingDocument("102")))
            .Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("103")))
            .Expect(request => Assert.Equal(text, request.QueryText), () => FaunaFake.ConstraintFailure("sku"))
            .Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("104")))
            .Expect(request => Assert.Equal(text, request.QueryText), () => FaunaFake.Abort("""{"reason":"changed"}"""))
            .Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("104")))
            .Expect(request => Assert.Equal(text, request.QueryText), () => FaunaFake.Ok(ProductDocument("104", sku: "PEN-2")));
        var tenant = Tenant();
        var draft = new ProductDraft("Pen", null, "PEN-2", 2.5m, 1, 3);

        var done = await tenant.UpdateProductAsync("101", draft, null, CancellationToken.None);
        var notFound = await tenant.UpdateProductAsync("102", draft, null, CancellationToken.None);
        var conflict = await tenant.UpdateProductAsync("103", draft, null, CancellationToken.None);
        var afterARetry = await tenant.UpdateProductAsync("104", draft, null, CancellationToken.None);

        Assert.Equal(WriteOutcome.Done, done.Outcome);
        Assert.Equal(2.5m, done.Product!.Price);
        Assert.True(done.Product.Backordered);
        Assert.Equal(WriteOutcome.NotFound, notFound.Outcome);
        Assert.Equal(WriteOutcome.Conflict, conflict.Outcome);
        Assert.Equal(WriteOutcome.Done, afterARetry.Outcome);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task DeletingAProductAnswersWhetherItExisted()
    {
        const string text = """
            let p = product.byId($0)
            let expected = $1
            if (p == null) {
              false
            } else if (expected != null && p!.updatedAt != expected) {
              abort({ reason: $2 })
            } else {
              p!.delete()
              true
            }
            """;
        _fake
            .Expect(request => { request.AssertProtocolHeaders(ChildServer, "product_delete", lastTxnTs: null); Assert.Equal(text, request.QueryText); }, () => FaunaFake.Ok("true"))
            .Expect(request => Assert.Equal(text, request.QueryText), () => FaunaFake.Ok("false"));
        var tenant = Tenant();

        Assert.Equal(WriteOutcome.Done, await tenant.DeleteProductAsync("101", null, CancellationToken.None));
        Assert.Equal(WriteOutcome.NotFound, await tenant.DeleteProductAsync("101", null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ListingProductsFollowsTheAfterCursorAcrossPages()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_list", lastTxnTs: null);
                    Assert.Equal("product.sortedByCreatedAt().pageSize($0)", request.QueryText);
                    Assert.Equal(["""{"@int":"2"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{ProductDocument("1", "A")}}}},{{{{ProductDocument("2", "B")}}}}],"after":"page-2"}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_list", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"page-2\""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"data":[{{{{ProductDocument("3", "C")}}}}],"after":"page-3"}"""))
            .Expect(
                request => Assert.Equal(["\"page-3\""], request.ValuesJson),
                () => FaunaFake.Ok("""{"data":[]}"""));
        var tenant = Tenant();

        var first = await tenant.ListProductsAsync(2, null, CancellationToken.None);
        var second = await tenant.ListProductsAsync(2, first.NextToken, CancellationToken.None);
        var third = await tenant.ListProductsAsync(2, second.NextToken, CancellationToken.None);

        Assert.Equal(["A", "B"], first.Items.Select(product => product.Name));
        Assert.Equal(["C"], second.Items.Select(product => product.Name));
        Assert.Empty(third.Items);
        Assert.Null(third.NextToken);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AProductSearchFiltersTheCreationIndexByNameOrSkuInLowerCaseAndItsTokenServesThatSearchOnly()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_list", lastTxnTs: null);
                    Assert.Equal("product.sortedByCreatedAt().where(p => p.name.toLowerCase().includes($0) || p.sku.toLowerCase().includes($1)).pageSize($2)", request.QueryText);
                    Assert.Equal(["\"blue pen\"", "\"blue pen\"", """{"@int":"1"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{ProductDocument("1", "Blue Pen")}}}}],"after":"page-2"}}"""))
            .Expect(
                request =>
                {
                    Assert.Equal("Set.paginate($0)", request.QueryText);
                    Assert.Equal(["\"page-2\""], request.ValuesJson);
                },
                () => FaunaFake.Ok("""{"data":[]}"""));
        var tenant = Tenant();

        var first = await tenant.ListProductsAsync(new ProductQuery("  Blue PEN "), 1, null, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => tenant.ListProductsAsync(new ProductQuery("blue"), 1, first.NextToken, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => tenant.ListProductsAsync(1, first.NextToken, CancellationToken.None));
        var second = await tenant.ListProductsAsync(new ProductQuery("blue pen"), 1, first.NextToken, CancellationToken.None);

        Assert.Equal(["Blue Pen"], first.Items.Select(product => product.Name));
        Assert.Empty(second.Items);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnOrderSearchFiltersTheNewestFirstIndexByStatusThenByNameIdOrALinesProduct()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(ChildServer, "order_list", lastTxnTs: null);
                Assert.Equal(
                    "order.newestFirst().where(o => o.status == $0).where(o => o.orderName.toLowerCase().includes($1) || o.id.toString().includes($2) "
                    + "|| o.orderProducts.any(l => l.productName.toLowerCase().includes($3) || l.productSku.toLowerCase().includes($4))).pageSize($5)",
                    request.QueryText);
                Assert.Equal(["\"shipped\"", "\"pen\"", "\"pen\"", "\"pen\"", "\"pen\"", """{"@int":"5"}"""], request.ValuesJson);
            },
            () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{OrderDocument("201", "shipped")}}}}]}}"""));
        var tenant = Tenant();

        var page = await tenant.ListOrdersAsync(new OrderQuery("Pen", OrderStatus.Shipped), 5, null, CancellationToken.None);

        Assert.Equal(["201"], page.Items.Select(order => order.Id));
        Assert.Null(page.NextToken);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AProductsPageTokenIsNotAcceptedForOrders()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{ProductDocument("1")}}}}],"after":"page-2"}}"""));
        var tenant = Tenant();
        var products = await tenant.ListProductsAsync(1, null, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => tenant.ListOrdersAsync(1, products.NextToken, CancellationToken.None));

        Assert.Single(_fake.Received);
    }

    private const string AfterNow = "2026-11-27T10:00:00.000001Z";

    private const string UnchangedProductsText = """
        $0.forEach(seen => {
          let p = product.byId(seen.id)
          if (p == null || p!.ts != seen.ts) {
            abort({ reason: $1 })
          }
        })
        """;

    private static string MissingDocument(string id, string collection = "product") =>
        $$$$"""{"@ref":{"id":"{{{{id}}}}","coll":{"@mod":"{{{{collection}}}}"},"exists":false,"cause":"not found"}}""";

    private static string OrderWithProducts(string status, params string[] products) =>
        $$$$"""{"order":{{{{OrderDocument("201", status)}}}},"products":[{{{{string.Join(",", products)}}}}]}""";

    [Fact]
    public async Task AnOrderReadsItsProductsThenWritesTheStockTheDomainTookAndThePricedOrderInOneQueryThatChecksNothingMoved()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_create_read", lastTxnTs: null);
                    Assert.Equal("$0.map(id => product.byId(id))", request.QueryText);
                    Assert.Equal(["""["101","102"]"""], request.ValuesJson);
                },
                () => FaunaFake.Ok($"[{ProductDocument("101")},{ProductDocument("102", "Pad", "PAD-1", "9007199254740993", 1)}]"))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_create", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(
                        UnchangedProductsText + "\n" +
                        """
                        $2.forEach(saved => product.byId(saved.id)!.update({ quantity: saved.quantity, updatedAt: saved.updatedAt }))
                        order.create({
                          orderName: $3,
                          creationDate: $4,
                          status: $5,
                          orderProducts: $6
                        })
                        """,
                        request.QueryText);
                    Assert.Equal(
                        [
                            $$$$"""[{"id":"101","ts":{"@time":"{{{{Now}}}}"}},{"id":"102","ts":{"@time":"{{{{Now}}}}"}}]""",
                            "\"changed\"",
                            // Both taken to zero; each stamped after its stored updatedAt, which the clock has not passed.
                            $$$$"""[{"id":"101","quantity":{"@int":"0"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}},{"id":"102","quantity":{"@int":"0"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}}]""",
                            "\"First\"",
                            $$$$"""{"@time":"{{{{Now}}}}"}""",
                            "\"processing\"",
                            """[{"productId":"101","productName":"Pen","productSku":"PEN-1","productDescription":"Blue","quantity":{"@int":"2"},"priceCents":{"@long":"1999"}},"""
                                + """{"productId":"102","productName":"Pad","productSku":"PAD-1","productDescription":"Blue","quantity":{"@int":"1"},"priceCents":{"@long":"9007199254740993"}},"""
                                + """{"productId":"101","productName":"Pen","productSku":"PEN-1","productDescription":"Blue","quantity":{"@int":"3"},"priceCents":{"@long":"1999"}}]""",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok(OrderDocument("201")));

        var creation = await Tenant().CreateOrderAsync("First", [new OrderLineRequest("101", 2), new OrderLineRequest("102", 1), new OrderLineRequest("101", 3)], CancellationToken.None);

        var order = Assert.IsType<Order>(creation.Order);
        Assert.Equal(("201", "First", "processing", _time.GetUtcNow()), (order.Id, order.OrderName, order.Status, order.CreationDate));
        Assert.Equal(new OrderLine("101", "Pen", "PEN-1", "Blue", 2, 19.99m), order.OrderProducts[0]);
        Assert.Equal(90_071_992_547_409.93m, order.OrderProducts[1].Price);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task InsufficientStockIsDecidedOnTheReadAndNothingIsWritten()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok($"[{ProductDocument("101")},{ProductDocument("102", quantity: 1)}]"));

        var creation = await Tenant().CreateOrderAsync("Big", [new OrderLineRequest("101", 1), new OrderLineRequest("102", 5)], CancellationToken.None);

        Assert.Equal(new OrderCreation(null, ShortProductId: "102", Available: 1), creation);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AMissingProductIsNamedAndNothingIsWritten()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok($"[{ProductDocument("101")},{MissingDocument("404")}]"));

        var creation = await Tenant().CreateOrderAsync("Ghost", [new OrderLineRequest("101", 1), new OrderLineRequest("404", 1)], CancellationToken.None);

        Assert.Equal(new OrderCreation(null, MissingProductId: "404"), creation);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AProductIdThatCannotExistIsMissingWithoutAQuery()
    {
        var creation = await Tenant().CreateOrderAsync("Ghost", [new OrderLineRequest("101", 1), new OrderLineRequest("not-an-id", 1)], CancellationToken.None);

        Assert.Equal(new OrderCreation(null, MissingProductId: "not-an-id"), creation);
        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task AWriteThatFindsAProductChangedSinceTheReadDecidesAgainOnAFreshRead()
    {
        _fake
            .Expect(_ => { }, () => FaunaFake.Ok($"[{ProductDocument("101", quantity: 5)}]"))
            .Expect(request => Assert.Contains("\"quantity\":{\"@int\":\"2\"}", request.ValuesJson[2], StringComparison.Ordinal), () => FaunaFake.Abort("""{"reason":"changed"}"""))
            .Expect(_ => { }, () => FaunaFake.Ok($"[{ProductDocument("101", quantity: 4)}]"))
            .Expect(request => Assert.Contains("\"quantity\":{\"@int\":\"1\"}", request.ValuesJson[2], StringComparison.Ordinal), () => FaunaFake.Ok(OrderDocument("201")));

        var creation = await Tenant().CreateOrderAsync("Retry", [new OrderLineRequest("101", 3)], CancellationToken.None);

        Assert.NotNull(creation.Order);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ProductsThatKeepChangingGiveUpAfterAFewRoundsAsContention()
    {
        for (var attempt = 0; attempt < FaunaTenantDatabase.OrderAttempts; attempt++)
        {
            _fake
                .Expect(_ => { }, () => FaunaFake.Ok($"[{ProductDocument("101")}]"))
                .Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"changed"}"""));
        }

        await Assert.ThrowsAsync<FaunaContendedException>(() => Tenant().CreateOrderAsync("Busy", [new OrderLineRequest("101", 1)], CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task OrdersAreReadListedUpdatedAndDeletedInTheChildDatabase()
    {
        const string readText = """
            let o = order.byId($0)
            if (o == null) {
              null
            } else {
              { order: o, products: o!.orderProducts.map(line => product.byId(line.productId)) }
            }
            """;
        const string guardText = """
            let o = order.byId($0)
            if (o == null || o!.ts != $1) {
              abort({ reason: $2 })
            }
            $3.forEach(seen => {
              let p = product.byId(seen.id)
              if (p == null || p!.ts != seen.ts) {
                abort({ reason: $4 })
              }
            })
            $5.forEach(saved => product.byId(saved.id)!.update({ quantity: saved.quantity, updatedAt: saved.updatedAt }))
            """;
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_get", lastTxnTs: null);
                    Assert.Equal("order.byId($0)", request.QueryText);
                    Assert.Equal(["\"201\""], request.ValuesJson);
                },
                () => FaunaFake.Ok(OrderDocument("201")))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_list", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal("order.newestFirst().pageSize($0)", request.QueryText);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{OrderDocument("201")}}}}]}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_read", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(readText, request.QueryText);
                    Assert.Equal(["\"201\""], request.ValuesJson);
                },
                // Product 102 was deleted since: its stock has nowhere to go back to.
                () => FaunaFake.Ok(OrderWithProducts("processing", ProductDocument("101"), MissingDocument("102"))))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_update", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(guardText + "\no!.update({ orderName: $6, status: $7 })", request.QueryText);
                    Assert.Equal(
                        [
                            "\"201\"", $$$$"""{"@time":"{{{{Now}}}}"}""", "\"changed\"",
                            $$$$"""[{"id":"101","ts":{"@time":"{{{{Now}}}}"}}]""", "\"changed\"",
                            $$$$"""[{"id":"101","quantity":{"@int":"7"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}}]""",
                            "\"First\"", "\"cancelled\"",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok(OrderDocument("201", "cancelled")))
            .Expect(request => Assert.Equal(readText, request.QueryText), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal(readText, request.QueryText), () => FaunaFake.Ok(OrderWithProducts("shipped", ProductDocument("101"), ProductDocument("102"))))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_update", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(guardText + "\no!.update({ orderName: $6, status: $7 })", request.QueryText);
                    // A rename returns no stock: no product is checked or written.
                    Assert.Equal(["\"201\"", $$$$"""{"@time":"{{{{Now}}}}"}""", "\"changed\"", "[]", "\"changed\"", "[]", "\"Renamed\"", "\"shipped\""], request.ValuesJson);
                },
                () => FaunaFake.Ok(OrderDocument("201", "shipped")))
            .Expect(request => Assert.Equal(readText, request.QueryText), () => FaunaFake.Ok(OrderWithProducts("processing", ProductDocument("101"), ProductDocument("102"))))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_delete", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(guardText + "\no!.delete()\ntrue", request.QueryText);
                    Assert.Equal(
                        [
                            "\"201\"", $$$$"""{"@time":"{{{{Now}}}}"}""", "\"changed\"",
                            $$$$"""[{"id":"101","ts":{"@time":"{{{{Now}}}}"}},{"id":"102","ts":{"@time":"{{{{Now}}}}"}}]""", "\"changed\"",
                            $$$$"""[{"id":"101","quantity":{"@int":"7"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}},{"id":"102","quantity":{"@int":"6"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}}]""",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok("true"));
        var tenant = Tenant();

        var order = await tenant.GetOrderAsync("201", CancellationToken.None);
        var list = await tenant.ListOrdersAsync(10, null, CancellationToken.None);
        var cancelled = await tenant.UpdateOrderAsync("201", null, OrderStatus.Cancelled, null, CancellationToken.None);
        var missing = await tenant.UpdateOrderAsync("999", "Renamed", null, null, CancellationToken.None);
        var renamed = await tenant.UpdateOrderAsync("201", "Renamed", null, "shipped:First", CancellationToken.None);
        var deleted = await tenant.DeleteOrderAsync("201", null, CancellationToken.None);

        Assert.Equal(2, order!.OrderProducts.Count);
        Assert.Equal(["201"], list.Items.Select(item => item.Id));
        Assert.Null(list.NextToken);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Order!.Status);
        Assert.Equal(WriteOutcome.NotFound, missing.Outcome);
        Assert.Equal(WriteOutcome.Done, renamed.Outcome);
        Assert.Equal(WriteOutcome.Done, deleted.Outcome);
        Assert.Null(await tenant.GetOrderAsync("x", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => tenant.UpdateOrderAsync("201", null, "lost", null, CancellationToken.None));
        // Refused before any request, as by the other stores.
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tenant.ListProductsAsync(0, null, CancellationToken.None))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tenant.ListOrdersAsync(0, null, CancellationToken.None))).ParamName);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AStaleVersionARefusedMoveAndAStockBoundAreDecidedOnTheReadAndNothingIsWritten()
    {
        const string productVersion = "2026-11-27T09:00:00.000000Z";
        var full = ProductDocument("101").Replace("""{"@int":"5"}""", """{"@int":"999999999"}""", StringComparison.Ordinal);
        _fake
            .Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("101")))
            .Expect(
                request => Assert.Equal($$$$"""{"@time":"{{{{productVersion}}}}"}""", request.ValuesJson[1]),
                () => FaunaFake.Abort("""{"reason":"precondition_failed"}"""))
            .Expect(_ => { }, () => FaunaFake.Ok(OrderWithProducts("delivered", ProductDocument("101"), ProductDocument("102"))))
            .Expect(_ => { }, () => FaunaFake.Ok(OrderWithProducts("processing", full, ProductDocument("102"))))
            .Expect(_ => { }, () => FaunaFake.Ok(OrderWithProducts("processing", ProductDocument("101"), ProductDocument("102"))))
            .Expect(_ => { }, () => FaunaFake.Ok(OrderWithProducts("processing", full, ProductDocument("102"))));
        var tenant = Tenant();
        var draft = new ProductDraft("Pen", null, "PEN-2", 2.5m, 1, 3);

        Assert.Equal(WriteOutcome.PreconditionFailed, (await tenant.UpdateProductAsync("101", draft, productVersion, CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, await tenant.DeleteProductAsync("101", productVersion, CancellationToken.None));
        Assert.Equal(
            new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: OrderStatus.Delivered),
            await tenant.UpdateOrderAsync("201", null, OrderStatus.Cancelled, "delivered:First", CancellationToken.None));
        Assert.Equal(
            new OrderWrite(WriteOutcome.BoundExceeded, ProductId: "101"),
            await tenant.UpdateOrderAsync("201", null, OrderStatus.Cancelled, null, CancellationToken.None));
        Assert.Equal(new OrderWrite(WriteOutcome.PreconditionFailed), await tenant.DeleteOrderAsync("201", "shipped:First", CancellationToken.None));
        Assert.Equal(new OrderWrite(WriteOutcome.BoundExceeded, ProductId: "101"), await tenant.DeleteOrderAsync("201", null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task ASkuThatDiffersOnlyInCaseIsAConflictOnTheFoldedKey()
    {
        _fake
            .Expect(request => Assert.Contains("\"skuKey\":\"abc-1\"", request.ValuesJson[0], StringComparison.Ordinal), () => FaunaFake.ConstraintFailure("skuKey"))
            .Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("101")))
            .Expect(request => Assert.Contains("\"skuKey\":\"abc-1\"", request.ValuesJson[3], StringComparison.Ordinal), () => FaunaFake.ConstraintFailure("skuKey"));
        var tenant = Tenant();

        Assert.Equal(WriteOutcome.Conflict, (await tenant.CreateProductAsync(new ProductDraft("Pen", null, "ABC-1", 1m, 1, 0), CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.Conflict, (await tenant.UpdateProductAsync("101", new ProductDraft("Pen", null, "Abc-1", 1m, 1, 0), null, CancellationToken.None)).Outcome);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AStockStoredBeyondThe32BitRangeStillReads()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("101").Replace("""{"@int":"5"}""", """{"@long":"3000000000"}""", StringComparison.Ordinal)));

        var product = await Tenant().GetProductAsync("101", CancellationToken.None);

        Assert.Equal(3_000_000_000L, product!.Quantity);
        Assert.Equal(StoredTime.Format(product.UpdatedAt), product.Version);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task ASkuAmongSeveralFailedConstraintsIsStillAConflict()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Error(
            400,
            "constraint_failure",
            "Failed to create document in collection.",
            ""","constraint_failures":[{"paths":[["name"]],"message":"Failed check"},{"paths":[["sku"]],"message":"Failed unique constraint"}]"""));

        var write = await Tenant().CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0), CancellationToken.None);

        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
    }

    [Fact]
    public async Task WritesToIdsFaunaNeverMakesFindNothingWithoutAQuery()
    {
        var tenant = Tenant();
        var draft = new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0);

        Assert.Equal(WriteOutcome.NotFound, (await tenant.UpdateProductAsync("abc", draft, null, CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.NotFound, await tenant.DeleteProductAsync("abc", null, CancellationToken.None));
        Assert.Equal(WriteOutcome.NotFound, (await tenant.UpdateOrderAsync("abc", "Renamed", null, null, CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.NotFound, (await tenant.DeleteOrderAsync("abc", null, CancellationToken.None)).Outcome);
        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task AProductUpdateThatKeepsFindingTheProductChangedGivesUpAfterAFewRoundsAsContention()
    {
        for (var attempt = 0; attempt < FaunaTenantDatabase.OrderAttempts; attempt++)
        {
            _fake
                .Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("101")))
                .Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"changed"}"""));
        }

        await Assert.ThrowsAsync<FaunaContendedException>(
            () => Tenant().UpdateProductAsync("101", new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0), null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnOrderChangeThatKeepsFindingTheOrderChangedGivesUpAfterAFewRoundsAsContention()
    {
        for (var attempt = 0; attempt < FaunaTenantDatabase.OrderAttempts; attempt++)
        {
            _fake
                .Expect(_ => { }, () => FaunaFake.Ok($$$$"""{"order":{{{{OrderDocument("201")}}}},"products":[{{{{ProductDocument("101")}}}},{{{{ProductDocument("102")}}}}]}"""))
                .Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"changed"}"""));
        }

        await Assert.ThrowsAsync<FaunaContendedException>(
            () => Tenant().UpdateOrderAsync("201", "Renamed", null, null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Theory]
    [InlineData("priceCents", "\"priceCents\":{\"@long\":\"1999\"}")]
    [InlineData("quantity", "\"quantity\":{\"@int\":\"5\"}")]
    [InlineData("backorderedLimit", "\"backorderedLimit\":{\"@int\":\"2\"}")]
    [InlineData("createdAt", "\"createdAt\":{\"@time\":\"" + Now + "\"}")]
    [InlineData("updatedAt", "\"updatedAt\":{\"@time\":\"" + Now + "\"}")]
    public async Task AProductFieldOfAnotherTypeIsAProtocolErrorNamingTheField(string field, string stored)
    {
        var document = ProductDocument("101");
        Assert.Contains(stored, document, StringComparison.Ordinal);
        _fake.Expect(_ => { }, () => FaunaFake.Ok(document.Replace(stored, $"\"{field}\":\"text\"", StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<FaunaProtocolException>(() => Tenant().GetProductAsync("101", CancellationToken.None));

        Assert.Contains($"Field {field} is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("creationDate", "\"creationDate\":{\"@time\":\"" + Now + "\"}")]
    [InlineData("quantity", "\"quantity\":{\"@int\":\"2\"}")]
    [InlineData("priceCents", "\"priceCents\":{\"@long\":\"1999\"}")]
    public async Task AnOrderFieldOfAnotherTypeIsAProtocolErrorNamingTheField(string field, string stored)
    {
        var document = OrderDocument("201");
        Assert.Contains(stored, document, StringComparison.Ordinal);
        _fake.Expect(_ => { }, () => FaunaFake.Ok(document.Replace(stored, $"\"{field}\":\"text\"", StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<FaunaProtocolException>(() => Tenant().GetOrderAsync("201", CancellationToken.None));

        Assert.Contains($"Field {field} is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeletionAnsweredWithoutABooleanIsAProtocolErrorNamingTheAnswer()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok("null"));

        var error = await Assert.ThrowsAsync<FaunaProtocolException>(() => Tenant().DeleteProductAsync("101", null, CancellationToken.None));

        Assert.Contains("Field deleted is missing", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Answers a node must never give, each at the place the adapter reads it: the call fails with a protocol error
    /// that says what was missing, for the log of the 5xx it becomes.
    /// </summary>
    public static TheoryData<string, string, string> MalformedAnswers()
    {
        var order = OrderDocument("201");
        var product = ProductDocument("101");
        var ts = "\"ts\":{\"@time\":\"" + Now + "\"},";
        var productId = "\"id\":\"101\",";
        var orderId = "\"id\":\"201\",";
        Assert.Contains(ts, order, StringComparison.Ordinal);
        Assert.Contains(productId, product, StringComparison.Ordinal);
        Assert.Contains(orderId, order, StringComparison.Ordinal);
        return new()
        {
            { "delete-order", "\"text\"", "Expected an order with its products." },
            { "delete-order", """{"order":null,"products":[]}""", "Expected an order." },
            { "delete-order", $$"""{"order":{{order.Replace(ts, "", StringComparison.Ordinal)}},"products":[]}""", "An order without ts." },
            { "delete-order", $$"""{"order":{{order}},"products":[{{product.Replace(ts, "", StringComparison.Ordinal)}}]}""", "A product without ts." },
            { "list-products", """{"@set":{"data":[null]}}""", "Expected a product." },
            { "get-product", product.Replace(productId, "", StringComparison.Ordinal), "A product without an id." },
            { "list-orders", """{"@set":{"data":[null]}}""", "Expected an order." },
            { "get-order", order.Replace(orderId, "", StringComparison.Ordinal), "An order without an id." },
            { "get-order", order.Replace("\"productId\":\"101\",", "", StringComparison.Ordinal), "An order line without productId." },
            { "get-order", order.Replace("\"orderProducts\":[", "\"orderProducts\":[1,", StringComparison.Ordinal), "An order line is not an object." },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task AnAnswerWithoutWhatTheAdapterReadsIsAProtocolErrorSayingWhatWasMissing(string call, string answer, string message)
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok(answer));
        var tenant = Tenant();
        Func<Task> run = call switch
        {
            "delete-order" => () => tenant.DeleteOrderAsync("201", null, CancellationToken.None),
            "list-products" => () => tenant.ListProductsAsync(10, null, CancellationToken.None),
            "get-product" => () => tenant.GetProductAsync("101", CancellationToken.None),
            "list-orders" => () => tenant.ListOrdersAsync(10, null, CancellationToken.None),
            "get-order" => () => tenant.GetOrderAsync("201", CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(call)),
        };

        var error = await Assert.ThrowsAsync<FaunaProtocolException>(run);

        Assert.Equal(message, error.Message);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task DeletingAnOrderThatHoldsNoStockChecksAndWritesNoProduct()
    {
        _fake
            .Expect(_ => { }, () => FaunaFake.Ok(OrderWithProducts("shipped", ProductDocument("101"), ProductDocument("102"))))
            .Expect(
                request =>
                {
                    Assert.Equal("operation=order_delete", request.Header("X-Query-Tags"));
                    Assert.Equal(["\"201\"", $$$$"""{"@time":"{{{{Now}}}}"}""", "\"changed\"", "[]", "\"changed\"", "[]"], request.ValuesJson);
                },
                () => FaunaFake.Ok("true"));

        var deleted = await Tenant().DeleteOrderAsync("201", null, CancellationToken.None);

        Assert.Equal(WriteOutcome.Done, deleted.Outcome);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnOrderTakingFromAStockStoredBeyondThe32BitRangeWritesItBackAsALong()
    {
        var big = ProductDocument("101").Replace("""{"@int":"5"}""", """{"@long":"3000000000"}""", StringComparison.Ordinal);
        _fake
            .Expect(_ => { }, () => FaunaFake.Ok($"[{big}]"))
            .Expect(
                request => Assert.Equal(
                    $$$$"""[{"id":"101","quantity":{"@long":"2999999998"},"updatedAt":{"@time":"{{{{AfterNow}}}}"}}]""",
                    request.ValuesJson[2]),
                () => FaunaFake.Ok(OrderDocument("201")));

        var creation = await Tenant().CreateOrderAsync("First", [new OrderLineRequest("101", 2)], CancellationToken.None);

        Assert.NotNull(creation.Order);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnOrderLineStoredWithoutItsProductsNameOrSkuReadsThemAsEmpty()
    {
        var order = OrderDocument("201");
        Assert.Contains("\"productName\":\"Pen\",\"productSku\":\"PEN-1\",", order, StringComparison.Ordinal);
        _fake.Expect(_ => { }, () => FaunaFake.Ok(order.Replace("\"productName\":\"Pen\",\"productSku\":\"PEN-1\",", "", StringComparison.Ordinal)));

        var line = (await Tenant().GetOrderAsync("201", CancellationToken.None))!.OrderProducts[0];

        Assert.Equal(("101", string.Empty, string.Empty), (line.ProductId, line.ProductName, line.ProductSku));
    }
}
