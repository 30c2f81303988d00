using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;
using SaasOnboarding.Api.Storage.Fauna;

namespace SaasOnboarding.Stores.Tests.Fauna;

/// <summary>
/// Schema versions of Fauna child databases, on the wire: a child with the version-1 schema and no version (no
/// <c>schemaVersion</c> collection, no <c>skuKey</c>) is upgraded before its first query, through the key scoped to
/// it as admin; a second upgrade changes nothing; a failure half-way is finished at the next start; and the
/// <c>migrate</c> command upgrades many children and reports them.
/// </summary>
public sealed class FaunaSchemaVersionTests : IDisposable
{
    private const string TenantId = "0123456789abcdef0123456789abcdef";
    private const string ChildAdmin = "Bearer " + FaunaTestClient.Secret + ":tenant_" + TenantId + ":admin";
    private const string ChildServer = "Bearer " + FaunaTestClient.Secret + ":tenant_" + TenantId + ":server";
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A child with the version-1 schema and no version: its collections, no <c>schemaVersion</c>.</summary>
    private const string Old = """{"recorded":null,"exists":true}""";
    private readonly FaunaFake _fake = new();

    private static int Latest => FaunaTenantDatabases.Migrations.Latest;

    public void Dispose() => _fake.Dispose();

    private FaunaTenantDatabases Databases() => new(FaunaTestClient.Create(_fake), new LogCapture().CreateLogger<FaunaTenantDatabases>());

    [Fact]
    public async Task AnOldChildIsUpgradedBeforeItsFirstQueryAndOnlyOncePerProcess()
    {
        _fake
            .Expect(VersionRead, () => FaunaFake.Ok(Old))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 1), () => FaunaFake.Ok("null"))
            .Expect(Backfill, () => FaunaFake.Ok("null"))
            .Expect(SkuKeyConstraint, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 2), () => FaunaFake.Ok("null"))
            .Expect(AuditLogCollection, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 3), () => FaunaFake.Ok("null"))
            .Expect(NewestFirstIndex, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 4), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal(("operation=product_get", ChildServer), (request.Header("X-Query-Tags"), request.Header("Authorization"))), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal("operation=product_get", request.Header("X-Query-Tags")), () => FaunaFake.Ok("null"));
        var databases = Databases();

        Assert.Null(await databases.Open(TenantId).GetProductAsync("1", None));
        Assert.Null(await databases.Open(TenantId).GetProductAsync("1", None));

        _fake.VerifyAllAnswered();
        Assert.DoesNotContain(_fake.Received, request => request.QueryText.Contains("delete", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task UpgradingTwiceChangesNothing()
    {
        // Each upgrade through the port asks the parent first whether the child database exists.
        _fake
            .Expect(DatabaseExists, () => FaunaFake.Ok("true"))
            .Expect(VersionRead, () => FaunaFake.Ok(Old))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 1), () => FaunaFake.Ok("null"))
            .Expect(Backfill, () => FaunaFake.Ok("null"))
            .Expect(SkuKeyConstraint, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 2), () => FaunaFake.Ok("null"))
            .Expect(AuditLogCollection, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 3), () => FaunaFake.Ok("null"))
            .Expect(NewestFirstIndex, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 4), () => FaunaFake.Ok("null"))
            .Expect(DatabaseExists, () => FaunaFake.Ok("true"))
            .Expect(VersionRead, () => FaunaFake.Ok(Recorded(Latest)));
        var databases = Databases();

        Assert.Equal(new SchemaUpgrade(1, Latest), await databases.UpgradeAsync(TenantId, None));
        Assert.Equal(new SchemaUpgrade(Latest, Latest), await databases.UpgradeAsync(TenantId, None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AnUpgradeThatFailedAfterItsFirstStepIsFinishedAtTheNextStartAndTheTenantIsNotServedMeanwhile()
    {
        // Two stored SKUs differ only in case: the backfill runs, the constraint is refused, no version is written.
        _fake
            .Expect(VersionRead, () => FaunaFake.Ok(Old))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 1), () => FaunaFake.Ok("null"))
            .Expect(Backfill, () => FaunaFake.Ok("null"))
            .Expect(SkuKeyConstraint, () => FaunaFake.ConstraintFailure("skuKey"));

        var failure = await Assert.ThrowsAsync<SchemaMigrationException>(() => Databases().Open(TenantId).GetProductAsync("1", None));

        Assert.Contains($"0002_sku_unique_ignoring_case of tenant_{TenantId}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.Received, request => request.Header("X-Query-Tags") == "operation=product_get");
        Assert.DoesNotContain(_fake.Received, request =>
            request.Header("X-Query-Tags") == "operation=schema_version_record" && request.ValuesJson.Contains("""{"@int":"2"}"""));

        // The next start (the clash settled): still version 1, so the whole migration runs again, then the query.
        _fake
            .Expect(VersionRead, () => FaunaFake.Ok(Recorded(1)))
            .Expect(Backfill, () => FaunaFake.Ok("null"))
            .Expect(SkuKeyConstraint, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 2), () => FaunaFake.Ok("null"))
            .Expect(AuditLogCollection, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 3), () => FaunaFake.Ok("null"))
            .Expect(NewestFirstIndex, () => FaunaFake.Ok("null"))
            .Expect(VersionCollection, () => FaunaFake.Ok("true"))
            .Expect(request => VersionRecord(request, 4), () => FaunaFake.Ok("null"))
            .Expect(request => Assert.Equal("operation=product_get", request.Header("X-Query-Tags")), () => FaunaFake.Ok("null"));

        Assert.Null(await Databases().Open(TenantId).GetProductAsync("1", None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task AChildFromANewerAppIsRefused()
    {
        _fake.Expect(VersionRead, () => FaunaFake.Ok(Recorded(99)));

        await Assert.ThrowsAsync<SchemaMigrationException>(() => Databases().Open(TenantId).GetProductAsync("1", None));
        _fake.VerifyAllAnswered();
    }

    [Fact]
    public async Task MigrateUpgradesManyChildrenAndReportsThem()
    {
        const int Tenants = 1000;
        var directory = Directory.CreateTempSubdirectory("saas-fauna-migrate-").FullName;
        try
        {
            // The tenants listed by a catalog (here a SQLite one: the command reads it through the port); their
            // child databases on a node that keeps each one's version and counts what it was asked.
            var catalog = new SqliteTenantCatalog(directory);
            await catalog.InitializeAsync(None);
            for (var i = 0; i < Tenants; i++)
            {
                var now = DateTimeOffset.UtcNow;
                var tenantId = TenantIds.New();
                Assert.True(await catalog.TryInsertTenantAsync(new Tenant(tenantId, $"T {tenantId}", "a@t.test", null, null, "Basic", TenantStatus.Active, now, now), None));
            }

            using var node = new VersionKeepingNode();
            var client = new FaunaClient(new FaunaStorageOptions { Secret = FaunaTestClient.Secret }, StartupSecret.FromValue(FaunaTestClient.Secret), new LogCapture().CreateLogger<FaunaClient>(), node);
            var services = new ServiceCollection()
                .AddSingleton<ITenantCatalog>(catalog)
                .AddSingleton<ITenantDatabases>(new FaunaTenantDatabases(client, new LogCapture().CreateLogger<FaunaTenantDatabases>()))
                .BuildServiceProvider();

            using var output = new StringWriter();
            Assert.True(await MigrateCommand.RunAsync(services, output, None) == 0, output.ToString());
            Assert.Contains($"tenant databases: {Tenants} checked", output.ToString(), StringComparison.Ordinal);
            Assert.Contains($"{Tenants} upgraded, 0 already at the latest version, 0 without a child database, 0 failed", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(Tenants, node.Versions.Count);
            Assert.All(node.Versions.Values, version => Assert.Equal(Latest, version));

            using var again = new StringWriter();
            Assert.Equal(0, await MigrateCommand.RunAsync(services, again, None));
            Assert.Contains($"0 upgraded, {Tenants} already at the latest version", again.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Recorded(int version) => $$"""{"recorded":{"@int":"{{version}}"},"exists":true}""";

    private static void DatabaseExists(FaunaRequest request)
    {
        Assert.Equal(("operation=database_exists", "Bearer " + FaunaTestClient.Secret), (request.Header("X-Query-Tags"), request.Header("Authorization")));
        Assert.Equal([$"\"tenant_{TenantId}\""], request.ValuesJson);
    }

    private static void VersionRead(FaunaRequest request)
    {
        request.AssertProtocolHeaders(FaunaTestClient.Secret + ":tenant_" + TenantId + ":admin", "schema_version", request.Header("X-Last-Txn-Ts") is null ? null : 1_700_000_000_000_001);
        Assert.Equal(["\"schemaVersion\"", "\"schemaVersion\"", "\"product\""], request.ValuesJson);
    }

    private static void Backfill(FaunaRequest request)
    {
        Assert.Equal(("operation=schema_migrate", ChildAdmin), (request.Header("X-Query-Tags"), request.Header("Authorization")));
        Assert.Contains("product.all().forEach(", request.QueryText, StringComparison.Ordinal);
        Assert.Contains(".replaceAll(\"Z\", \"z\")", request.QueryText, StringComparison.Ordinal);
        Assert.Contains("p.update({ skuKey: key })", request.QueryText, StringComparison.Ordinal);
        Assert.Empty(request.ValuesJson);
    }

    private static void SkuKeyConstraint(FaunaRequest request)
    {
        Assert.Equal(("operation=schema_migrate", ChildAdmin), (request.Header("X-Query-Tags"), request.Header("Authorization")));
        Assert.Contains("Collection.byName(\"product\")!.update({", request.QueryText, StringComparison.Ordinal);
        Assert.Contains("{ unique: [{ field: \".skuKey\" }] }", request.QueryText, StringComparison.Ordinal);
    }

    private static void AuditLogCollection(FaunaRequest request)
    {
        Assert.Equal(("operation=schema_migrate", ChildAdmin), (request.Header("X-Query-Tags"), request.Header("Authorization")));
        Assert.Contains("if (Collection.byName(\"auditEntry\") == null) {", request.QueryText, StringComparison.Ordinal);
    }

    private static void NewestFirstIndex(FaunaRequest request)
    {
        Assert.Equal(("operation=schema_migrate", ChildAdmin), (request.Header("X-Query-Tags"), request.Header("Authorization")));
        Assert.Contains("newestFirst: { values: [{ field: \".creationDate\", order: \"desc\" }] }", request.QueryText, StringComparison.Ordinal);
    }

    private static void VersionCollection(FaunaRequest request) =>
        Assert.Equal(("operation=schema_version_collection", ChildAdmin), (request.Header("X-Query-Tags"), request.Header("Authorization")));

    private static void VersionRecord(FaunaRequest request, int version)
    {
        Assert.Equal(("operation=schema_version_record", ChildAdmin), (request.Header("X-Query-Tags"), request.Header("Authorization")));
        Assert.Contains($$"""{"@int":"{{version}}"}""", request.ValuesJson);
    }

    /// <summary>Child databases at version 1 until a version is recorded in them; every one exists.</summary>
    private sealed class VersionKeepingNode : HttpMessageHandler
    {
        public ConcurrentDictionary<string, int> Versions { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var received = new FaunaRequest(request, await request.Content!.ReadAsStringAsync(cancellationToken));
            var database = received.Header("Authorization")!.Split(':') is { Length: 3 } scoped ? scoped[1] : "parent";
            return received.Header("X-Query-Tags") switch
            {
                "operation=database_exists" => FaunaFake.Ok("true"),
                "operation=schema_version" => FaunaFake.Ok(Versions.TryGetValue(database, out var version)
                    ? $$"""{"recorded":{"@int":"{{version}}"},"exists":true}"""
                    : """{"recorded":null,"exists":true}"""),
                "operation=schema_version_record" => Record(database, received),
                _ => FaunaFake.Ok("null"),
            };
        }

        private HttpResponseMessage Record(string database, FaunaRequest request)
        {
            Versions[database] = request.ValuesJson.Select(FaunaTagged.Decode).OfType<int>().First();
            return FaunaFake.Ok("null");
        }
    }

    [Fact]
    public async Task AListingIsServedOnlyAfterTheChildsVersionIsChecked()
    {
        _fake
            .Expect(VersionRead, () => FaunaFake.Ok(Recorded(Latest)))
            .Expect(request => Assert.Equal(("operation=product_list", ChildServer), (request.Header("X-Query-Tags"), request.Header("Authorization"))), () => FaunaFake.Ok("""{"@set":{"data":[]}}"""));

        Assert.Empty((await Databases().Open(TenantId).ListProductsAsync(10, null, None)).Items);

        _fake.VerifyAllAnswered();
    }
}
