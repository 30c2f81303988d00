using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>
/// Without an OTLP endpoint nothing is exported and nothing is slowed. In the collection that runs alone, so that no
/// other test app's SDK listens to the app's static source meanwhile.
/// </summary>
[Collection(TelemetryCounting.Name)]
public sealed class TelemetryOffTests : IClassFixture<EmbeddedApp>
{
    private readonly EmbeddedApp _app;

    public TelemetryOffTests(EmbeddedApp app) => _app = app;

    [Fact]
    public async Task WithoutAnEndpointTheAppHasNoTracerOrMeterProviderAndNothingListensToItsSource()
    {
        using var tenant = await DataPlaneTenant.OnboardAsync(_app);
        await (await tenant.User.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        Assert.Null(_app.Services.GetService<TracerProvider>());
        Assert.Null(_app.Services.GetService<MeterProvider>());
        Assert.False(Telemetry.Source.HasListeners());
    }

    [Fact]
    public async Task WithNothingListeningTheStoreCallIsTheStoresOwnTaskWithNoSpanAroundIt()
    {
        Assert.False(Telemetry.Source.HasListeners());
        var page = Task.FromResult(new Page<Product>([], null));
        var store = new OneListingStore(page);
        var traced = new TracedTenantDatabase(store, "sqlite");

        var listed = traced.ListProductsAsync(7, "next", CancellationToken.None);

        Assert.Same(page, listed);
        Assert.Equal((7, "next"), store.Asked);
        Assert.Same(await page, await listed);
    }

    /// <summary>A store whose product listing answers a given task; it can do nothing else.</summary>
    private sealed class OneListingStore(Task<Page<Product>> page) : ITenantDatabase
    {
        public (int Limit, string? NextToken)? Asked { get; private set; }

        public Task<Page<Product>> ListProductsAsync(ProductQuery query, int limit, string? nextToken, CancellationToken cancellationToken)
        {
            Asked = (limit, nextToken);
            return page;
        }

        public Task<Product?> GetProductAsync(string productId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ProductWrite> CreateProductAsync(ProductDraft draft, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ProductWrite> UpdateProductAsync(string productId, ProductDraft draft, string? expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<WriteOutcome> DeleteProductAsync(string productId, string? expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Page<Order>> ListOrdersAsync(OrderQuery query, int limit, string? nextToken, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Order?> GetOrderAsync(string orderId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<OrderCreation> CreateOrderAsync(string orderName, IReadOnlyList<OrderLineRequest> lines, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<OrderWrite> UpdateOrderAsync(string orderId, string? orderName, string? status, string? expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<OrderWrite> DeleteOrderAsync(string orderId, string? expectedVersion, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ImportAsync(IReadOnlyList<Product> products, IReadOnlyList<Order> orders, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
