using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Fauna;
using SaasOnboarding.Api.Tests.Infrastructure;

namespace SaasOnboarding.Api.Tests.Storage.Fauna;

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
    public async Task Creating_a_child_database_creates_it_in_the_parent_then_runs_every_migration_step_in_its_own_query_and_records_the_latest_version()
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
                    request.AssertProtocolHeaders(ChildAdmin, "schema_version_collection", lastTxnTs: 14);
                    Assert.Equal(["\"schemaVersion\"", """{"name":"schemaVersion"}"""], request.ValuesJson);
                },
                () => FaunaFake.Ok("true", txnTs: 15))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildAdmin, "schema_version_record", lastTxnTs: 15);
                    Assert.Contains("""{"@int":"2"}""", request.ValuesJson);
                },
                () => FaunaFake.Ok("null", txnTs: 16));

        await Databases().CreateAsync(TenantId, CancellationToken.None);

        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task A_failed_hydration_is_compensated_by_deleting_the_child_database()
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
    public async Task A_child_database_that_exists_already_is_neither_hydrated_nor_deleted()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Error(400, "constraint_failure", "A database with that name exists."));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Databases().CreateAsync(TenantId, CancellationToken.None));

        Assert.Single(_fake.Received);
    }

    [Fact]
    public async Task Existence_and_deletion_of_a_child_database_are_asked_of_the_parent()
    {
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(FaunaTestClient.Secret, "database_exists", lastTxnTs: null);
                    Assert.Equal("Database.byName($0) != null", request.QueryText);
                    Assert.Equal([$"\"{Database}\""], request.ValuesJson);
                },
                () => FaunaFake.Ok("true"))
            .Expect(request => Assert.Equal("Database.byName($0)?.delete()\nnull", request.QueryText), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal("Database.byName($0) != null", request.QueryText), () => FaunaFake.Ok("false"));
        var databases = Databases();

        Assert.True(await databases.ExistsAsync(TenantId, CancellationToken.None));
        await databases.DeleteAsync(TenantId, CancellationToken.None);
        Assert.False(await databases.ExistsAsync(TenantId, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Theory]
    [InlineData("../other")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("tenant_x:admin")]
    public void A_child_database_is_never_opened_for_something_that_is_not_a_tenant_id(string tenantId)
    {
        Assert.Throws<ArgumentException>(() => Databases().Open(tenantId));
    }

    [Fact]
    public async Task A_product_is_created_in_the_child_database_with_its_price_in_integer_cents()
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
    public async Task A_taken_sku_is_a_conflict()
    {
        _fake.Expect(_ => { }, () => FaunaFake.ConstraintFailure("sku"));

        var write = await Tenant().CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", 1m, 1, 0), CancellationToken.None);

        Assert.Equal(WriteOutcome.Conflict, write.Outcome);
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("-1")]
    public async Task A_price_finer_than_a_cent_or_below_zero_is_refused_before_anything_is_sent(string price)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Tenant().CreateProductAsync(new ProductDraft("Pen", null, "PEN-1", decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), 1, 0), CancellationToken.None));

        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task An_order_without_lines_or_with_a_line_below_one_is_refused_before_anything_is_sent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Tenant().CreateOrderAsync("Empty", [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Tenant().CreateOrderAsync("Zero", [new OrderLineRequest("101", 0)], CancellationToken.None));

        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task Reading_a_product_uses_its_document_id_and_a_missing_one_is_null()
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
    public async Task A_price_reads_back_with_two_decimals_as_in_the_other_stores(string priceCents, string price)
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok(ProductDocument("101", priceCents: priceCents)));

        var product = await Tenant().GetProductAsync("101", CancellationToken.None);

        Assert.Equal(price, product!.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task Updating_a_product_reports_done_not_found_and_conflict()
    {
        const string text = """
            let p = product.byId($0)
            let expected = $1
            if (p == null) {
              null
            } else if (expected != null && p!.updatedAt != expected) {
              abort({ reason: $2 })
            } else {
              p!.update($3)
            }
            """;
        _fake
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "product_update", lastTxnTs: null);
                    Assert.Equal(text, request.QueryText);
                    Assert.Equal(
                        ["\"101\"", "null", "\"precondition_failed\"", $$$$"""{"name":"Pen","description":null,"sku":"PEN-2","skuKey":"pen-2","priceCents":{"@long":"250"},"quantity":{"@int":"1"},"backorderedLimit":{"@int":"3"},"updatedAt":{"@time":"{{{{Now}}}}"}}"""],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok(ProductDocument("101", sku: "PEN-2", priceCents: "250", quantity: 1)))
            .Expect(request => Assert.Equal(text, request.QueryText), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal(text, request.QueryText), () => FaunaFake.ConstraintFailure("sku"));
        var tenant = Tenant();
        var draft = new ProductDraft("Pen", null, "PEN-2", 2.5m, 1, 3);

        var done = await tenant.UpdateProductAsync("101", draft, null, CancellationToken.None);
        var notFound = await tenant.UpdateProductAsync("102", draft, null, CancellationToken.None);
        var conflict = await tenant.UpdateProductAsync("103", draft, null, CancellationToken.None);

        Assert.Equal(WriteOutcome.Done, done.Outcome);
        Assert.Equal(2.5m, done.Product!.Price);
        Assert.True(done.Product.Backordered);
        Assert.Equal(WriteOutcome.NotFound, notFound.Outcome);
        Assert.Equal(WriteOutcome.Conflict, conflict.Outcome);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task Deleting_a_product_answers_whether_it_existed()
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
    public async Task Listing_products_follows_the_after_cursor_across_pages()
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
    public async Task A_products_page_token_is_not_accepted_for_orders()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{ProductDocument("1")}}}}],"after":"page-2"}}"""));
        var tenant = Tenant();
        var products = await tenant.ListProductsAsync(1, null, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidPageTokenException>(() => tenant.ListOrdersAsync(1, products.NextToken, CancellationToken.None));

        Assert.Single(_fake.Received);
    }

    [Fact]
    public async Task An_order_is_one_transaction_that_takes_the_stock_per_product_and_prices_lines_from_the_products()
    {
        _fake.Expect(
            request =>
            {
                request.AssertProtocolHeaders(ChildServer, "order_create", lastTxnTs: null);
                Assert.Equal(
                    """
                    let lines = $0
                    let needs = $1
                    needs.forEach(need => {
                      let p = product.byId(need.productId)
                      if (p == null) {
                        abort({ reason: $2, productId: need.productId })
                      }
                      if (p!.quantity < need.quantity) {
                        abort({ reason: $3, productId: need.productId, available: p!.quantity })
                      }
                      p!.update({ quantity: p!.quantity - need.quantity, updatedAt: $4 })
                    })
                    let priced = lines.map(line => {
                      let p = product.byId(line.productId)!
                      {
                        productId: line.productId,
                        productName: p.name,
                        productSku: p.sku,
                        productDescription: p.description,
                        quantity: line.quantity,
                        priceCents: p.priceCents
                      }
                    })
                    order.create({
                      orderName: $5,
                      creationDate: $6,
                      status: $7,
                      orderProducts: priced
                    })
                    """,
                    request.QueryText);
                Assert.Equal(
                    [
                        """[{"productId":"101","quantity":{"@int":"2"}},{"productId":"102","quantity":{"@int":"1"}},{"productId":"101","quantity":{"@int":"3"}}]""",
                        """[{"productId":"101","quantity":{"@int":"5"}},{"productId":"102","quantity":{"@int":"1"}}]""",
                        "\"missing_product\"",
                        "\"insufficient_stock\"",
                        $$$$"""{"@time":"{{{{Now}}}}"}""",
                        "\"First\"",
                        $$$$"""{"@time":"{{{{Now}}}}"}""",
                        "\"processing\"",
                    ],
                    request.ValuesJson);
                Assert.DoesNotContain("price", request.ValuesJson[0], StringComparison.OrdinalIgnoreCase);
            },
            () => FaunaFake.Ok(OrderDocument("201")));

        var creation = await Tenant().CreateOrderAsync("First", [new OrderLineRequest("101", 2), new OrderLineRequest("102", 1), new OrderLineRequest("101", 3)], CancellationToken.None);

        var order = Assert.IsType<Order>(creation.Order);
        Assert.Equal(("201", "First", "processing", _time.GetUtcNow()), (order.Id, order.OrderName, order.Status, order.CreationDate));
        Assert.Equal(new OrderLine("101", "Pen", "PEN-1", "Blue", 2, 19.99m), order.OrderProducts[0]);
        Assert.Equal(90_071_992_547_409.93m, order.OrderProducts[1].Price);
        Assert.Equal((2 * 19.99m) + 90_071_992_547_409.93m, order.Total);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task Insufficient_stock_aborts_the_order_and_reports_the_short_product_and_what_is_left()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"insufficient_stock","productId":"102","available":{"@int":"1"}}"""));

        var creation = await Tenant().CreateOrderAsync("Big", [new OrderLineRequest("101", 1), new OrderLineRequest("102", 5)], CancellationToken.None);

        Assert.Equal(new OrderCreation(null, ShortProductId: "102", Available: 1), creation);
    }

    [Fact]
    public async Task A_missing_product_aborts_the_order_and_is_named()
    {
        _fake.Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"missing_product","productId":"404"}"""));

        var creation = await Tenant().CreateOrderAsync("Ghost", [new OrderLineRequest("404", 1)], CancellationToken.None);

        Assert.Equal(new OrderCreation(null, MissingProductId: "404"), creation);
    }

    [Fact]
    public async Task A_product_id_that_cannot_exist_is_missing_without_a_query()
    {
        var creation = await Tenant().CreateOrderAsync("Ghost", [new OrderLineRequest("101", 1), new OrderLineRequest("not-an-id", 1)], CancellationToken.None);

        Assert.Equal(new OrderCreation(null, MissingProductId: "not-an-id"), creation);
        Assert.Empty(_fake.Received);
    }

    [Fact]
    public async Task Orders_are_read_listed_updated_and_deleted_in_the_child_database()
    {
        const string updateText = """
            let o = order.byId($0)
            let asked = $1
            let expected = $2
            let cancelled = $3
            if (o == null) {
              null
            } else {
              if (expected != null && o!.status + ":" + o!.orderName != expected) {
                abort({ reason: $4 })
              }
              if (asked != null && asked != o!.status && !$5.includes(o!.status + ">" + asked)) {
                abort({ reason: $6, status: o!.status })
              }
              if (asked == cancelled && o!.status != cancelled) {
                o!.orderProducts.forEach(line => {
                  let p = product.byId(line.productId)
                  if (p != null) {
                    if (p!.quantity > $7 - line.quantity) {
                      abort({ reason: $8, productId: line.productId })
                    }
                    p!.update({ quantity: p!.quantity + line.quantity, updatedAt: $9 })
                  }
                })
              }
              o!.update({ orderName: $10 ?? o!.orderName, status: asked ?? o!.status })
            }
            """;
        const string deleteText = """
            let o = order.byId($0)
            let expected = $1
            if (o == null) {
              false
            } else {
              if (expected != null && o!.status + ":" + o!.orderName != expected) {
                abort({ reason: $2 })
              }
              if (o!.status == $3) {
                o!.orderProducts.forEach(line => {
                  let p = product.byId(line.productId)
                  if (p != null) {
                    if (p!.quantity > $4 - line.quantity) {
                      abort({ reason: $5, productId: line.productId })
                    }
                    p!.update({ quantity: p!.quantity + line.quantity, updatedAt: $6 })
                  }
                })
              }
              o!.delete()
              true
            }
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
                    Assert.Equal("order.sortedByCreationDate().pageSize($0)", request.QueryText);
                },
                () => FaunaFake.Ok($$$$"""{"@set":{"data":[{{{{OrderDocument("201")}}}}]}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_update", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(updateText, request.QueryText);
                    Assert.Equal(
                        [
                            "\"201\"", "\"cancelled\"", "null", "\"cancelled\"", "\"precondition_failed\"",
                            """["processing>shipped","shipped>delivered","processing>cancelled","shipped>cancelled"]""",
                            "\"transition_refused\"", """{"@int":"1000000000"}""", "\"bound_exceeded\"", $$$$"""{"@time":"{{{{Now}}}}"}""", "null",
                        ],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok(OrderDocument("201", "cancelled")))
            .Expect(request => Assert.Equal(updateText, request.QueryText), () => FaunaFake.Ok("""{"@ref":{"id":"999","coll":{"@mod":"order"},"exists":false,"cause":"not found"}}"""))
            .Expect(
                request =>
                {
                    request.AssertProtocolHeaders(ChildServer, "order_delete", lastTxnTs: 1_700_000_000_000_001);
                    Assert.Equal(deleteText, request.QueryText);
                    Assert.Equal(
                        ["\"201\"", "null", "\"precondition_failed\"", "\"processing\"", """{"@int":"1000000000"}""", "\"bound_exceeded\"", $$$$"""{"@time":"{{{{Now}}}}"}"""],
                        request.ValuesJson);
                },
                () => FaunaFake.Ok("true"));
        var tenant = Tenant();

        var order = await tenant.GetOrderAsync("201", CancellationToken.None);
        var list = await tenant.ListOrdersAsync(10, null, CancellationToken.None);
        var cancelled = await tenant.UpdateOrderAsync("201", null, OrderStatus.Cancelled, null, CancellationToken.None);
        var missing = await tenant.UpdateOrderAsync("999", "Renamed", null, null, CancellationToken.None);
        var deleted = await tenant.DeleteOrderAsync("201", null, CancellationToken.None);

        Assert.Equal(2, order!.OrderProducts.Count);
        Assert.Equal(["201"], list.Items.Select(item => item.Id));
        Assert.Null(list.NextToken);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Order!.Status);
        Assert.Equal(WriteOutcome.NotFound, missing.Outcome);
        Assert.Equal(WriteOutcome.Done, deleted.Outcome);
        Assert.Null(await tenant.GetOrderAsync("x", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => tenant.UpdateOrderAsync("201", null, "lost", null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task A_stale_version_a_refused_move_and_a_stock_bound_abort_inside_the_query_and_are_reported_as_such()
    {
        const string productVersion = "2026-11-27T09:00:00.000000Z";
        _fake
            .Expect(
                request => Assert.Equal($$$$"""{"@time":"{{{{productVersion}}}}"}""", request.ValuesJson[1]),
                () => FaunaFake.Abort("""{"reason":"precondition_failed"}"""))
            .Expect(
                request => Assert.Equal($$$$"""{"@time":"{{{{productVersion}}}}"}""", request.ValuesJson[1]),
                () => FaunaFake.Abort("""{"reason":"precondition_failed"}"""))
            .Expect(
                request => Assert.Equal("\"processing:First\"", request.ValuesJson[2]),
                () => FaunaFake.Abort("""{"reason":"transition_refused","status":"delivered"}"""))
            .Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"bound_exceeded","productId":"101"}"""))
            .Expect(
                request => Assert.Equal("\"processing:First\"", request.ValuesJson[1]),
                () => FaunaFake.Abort("""{"reason":"precondition_failed"}"""))
            .Expect(_ => { }, () => FaunaFake.Abort("""{"reason":"bound_exceeded","productId":"102"}"""));
        var tenant = Tenant();
        var draft = new ProductDraft("Pen", null, "PEN-2", 2.5m, 1, 3);

        Assert.Equal(WriteOutcome.PreconditionFailed, (await tenant.UpdateProductAsync("101", draft, productVersion, CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.PreconditionFailed, await tenant.DeleteProductAsync("101", productVersion, CancellationToken.None));
        Assert.Equal(
            new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: OrderStatus.Delivered),
            await tenant.UpdateOrderAsync("201", null, OrderStatus.Cancelled, "processing:First", CancellationToken.None));
        Assert.Equal(
            new OrderWrite(WriteOutcome.BoundExceeded, ProductId: "101"),
            await tenant.UpdateOrderAsync("201", null, OrderStatus.Cancelled, null, CancellationToken.None));
        Assert.Equal(new OrderWrite(WriteOutcome.PreconditionFailed), await tenant.DeleteOrderAsync("201", "processing:First", CancellationToken.None));
        Assert.Equal(new OrderWrite(WriteOutcome.BoundExceeded, ProductId: "102"), await tenant.DeleteOrderAsync("201", null, CancellationToken.None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task A_sku_that_differs_only_in_case_is_a_conflict_on_the_folded_key()
    {
        _fake
            .Expect(request => Assert.Contains("\"skuKey\":\"abc-1\"", request.ValuesJson[0], StringComparison.Ordinal), () => FaunaFake.ConstraintFailure("skuKey"))
            .Expect(_ => { }, () => FaunaFake.ConstraintFailure("skuKey"));
        var tenant = Tenant();

        Assert.Equal(WriteOutcome.Conflict, (await tenant.CreateProductAsync(new ProductDraft("Pen", null, "ABC-1", 1m, 1, 0), CancellationToken.None)).Outcome);
        Assert.Equal(WriteOutcome.Conflict, (await tenant.UpdateProductAsync("101", new ProductDraft("Pen", null, "Abc-1", 1m, 1, 0), null, CancellationToken.None)).Outcome);
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task A_stock_stored_beyond_the_32_bit_range_still_reads()
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
}
