using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Secrets;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Webhooks;

namespace SaasOnboarding.Api.Tests.Webhooks;

/// <summary>
/// Webhooks on AWS Lambda, up to what runs outside AWS (docs/deploy.md): one key for every instance, and the schedule's
/// event, as the Lambda Web Adapter hands it on, running the passes that deliver to a real receiver on loopback.
/// </summary>
public sealed class WebhooksOnLambdaTests(LambdaApp app) : IClassFixture<LambdaApp>, IDisposable
{
    private static readonly string[] NotFailed = ["ran", "held"];

    private readonly WebhookReceiver _receiver = new();

    [Fact]
    public async Task TheSchedulesEventFromTheAdapterDeliversADueEventBeforeItIsAnswered()
    {
        var (webhookId, secret) = await CreateEndpointAsync();
        var tenant = await app.OnboardAsync();

        // The dispatcher's timer waits an hour: nothing goes out until the schedule's event comes.
        await Task.Delay(300);
        Assert.Empty(_receiver.Of(tenant.TenantId));

        using var answer = await SendAsync(LambdaApp.FromAdapter(LambdaApp.ScheduledEventBody));

        await answer.ShouldBe(HttpStatusCode.OK);
        var passes = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passes");
        var names = app.Services.GetServices<IPeriodicPass>().Select(pass => pass.Name).ToList();
        Assert.Equal(names, passes.EnumerateObject().Select(pass => pass.Name));
        // A pass under a lease may find its own timer's pass holding it at that moment; none failed.
        Assert.All(passes.EnumerateObject(), pass => Assert.Contains(pass.Value.GetString(), NotFailed));
        Assert.Equal("ran", passes.GetProperty("webhook-delivery").GetString());
        Assert.Contains(OutboxPruning.LeaseName, names);
        var delivered = Assert.Single(_receiver.Of(tenant.TenantId));
        Assert.Equal(LifecycleEvents.TenantRegistered, delivered.Type);
        Assert.True(delivered.SignatureIsValid(secret));
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var log = (await system.GetFromJsonAsync<JsonElement>($"/webhooks/{webhookId}/deliveries")).GetProperty("items");
        Assert.Contains(log.EnumerateArray(), entry => entry.GetProperty("eventId").GetString() == delivered.EventId && entry.GetProperty("outcome").GetString() == "delivered");
    }

    [Fact]
    public async Task TheScheduledPathRefusesWithNotFoundEveryRequestThatDidNotComeFromTheAdaptersPassThrough()
    {
        await CreateEndpointAsync();
        var tenant = await app.OnboardAsync();
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);

        // Through API Gateway: the adapter sets the gateway's request context, whatever header the client sent.
        var throughGateway = ProxiedApp.FromGateway(HttpMethod.Post, LambdaEvents.Path, json: JsonDocument.Parse(LambdaApp.ScheduledEventBody).RootElement);
        var withoutContext = LambdaApp.FromAdapter(LambdaApp.ScheduledEventBody);
        withoutContext.Headers.Remove(LambdaEvents.RequestContextHeader);
        var twoContexts = LambdaApp.FromAdapter(LambdaApp.ScheduledEventBody);
        twoContexts.Headers.Add(LambdaEvents.RequestContextHeader, ProxiedApp.GatewayRequestContext);
        foreach (var request in new[] { throughGateway, withoutContext, twoContexts })
        {
            using var refused = await system.SendAsync(request);
            await refused.ShouldBe(HttpStatusCode.NotFound);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // Each refusal is in the audit log; no pass ran.
        var refusals = await app.Services.GetRequiredService<ITenantCatalog>().ListAuditAsync(new AuditQuery(Action: "POST " + LambdaEvents.Path), 10, null, CancellationToken.None);
        Assert.True(refusals.Items.Count(entry => entry.Outcome == AuditOutcomes.Refused) >= 3);
        await Task.Delay(300);
        Assert.Empty(_receiver.Of(tenant.TenantId));
    }

    [Theory]
    [InlineData("""{"detail-type":"Object Created","source":"aws.s3","detail":{}}""")]
    [InlineData("""{"Records":[{"eventSource":"aws:sqs","body":"hello"}]}""")]
    [InlineData("not json")]
    public async Task AnEventThatIsNotTheSchedulesIsRefusedNamingTheField(string body)
    {
        using var answer = await SendAsync(LambdaApp.FromAdapter(body));

        await answer.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("detail-type", out _), problem.ToString());
    }

    [Fact]
    public void OnLambdaWithoutASecretKeyTheAppRefusesToStartNamingTheSetting()
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?> { [LambdaEvents.FunctionNameVariable] = LambdaApp.FunctionName }));

        Assert.Contains("Webhooks:SecretKeyParameterName", message, StringComparison.Ordinal);
        Assert.Contains("Lambda", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnLambdaTheKeyComesFromItsSecureStringParameterAndNoKeyFileIsMade()
    {
        const string parameterName = "/saas-onboarding/webhook-secret-key";
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var ssm = await FakeSsm.StartAsync(new Dictionary<string, (string Type, string Value)> { [parameterName] = ("SecureString", Convert.ToBase64String(key)) });
        using var lambda = new AppFactory(
            null,
            new Dictionary<string, string?>
            {
                [LambdaEvents.FunctionNameVariable] = LambdaApp.FunctionName,
                ["Webhooks:SecretKeyParameterName"] = parameterName,
                ["AWS:ServiceURL"] = ssm.Url.ToString(),
                ["AWS:Region"] = "eu-west-1",
            },
            services => services.AddSingleton<AWSCredentials>(new BasicAWSCredentials("AKIDTEST", "test-secret-key")));
        using var system = lambda.Client((await lambda.SystemAdminAsync()).IdToken);

        var created = await system.PostAsJsonAsync("/webhooks", new { url = "https://hooks.example.com/in" });

        await created.ShouldBe(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString()!;
        var stored = (await lambda.Services.GetRequiredService<IWebhookStore>().GetEndpointAsync(id, CancellationToken.None))!;
        Assert.StartsWith("v1.", stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(body.GetProperty("secret").GetString(), SecretBox.Open(key, stored.ProtectedSecret["v1.".Length..], id));
        var call = Assert.Single(ssm.Calls);
        Assert.Equal(parameterName, call.Body.GetProperty("Name").GetString());
        Assert.True(call.Body.GetProperty("WithDecryption").GetBoolean());
        Assert.False(File.Exists(Path.Combine(lambda.DataDirectory, WebhookSecrets.KeyFile)), "A key file was made on Lambda");
    }

    public void Dispose() => _receiver.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var client = app.CreateClient();
        using (request)
        {
            return await client.SendAsync(request);
        }
    }

    private async Task<(string Id, string Secret)> CreateEndpointAsync()
    {
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        foreach (var old in (await system.GetFromJsonAsync<JsonElement>("/webhooks?limit=100")).GetProperty("items").EnumerateArray())
        {
            await system.DeleteAsync($"/webhooks/{old.GetProperty("id").GetString()}");
        }

        var response = await system.PostAsJsonAsync("/webhooks", new { url = _receiver.Url });
        await response.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }
}
