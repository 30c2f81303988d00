namespace SaasOnboarding.Api.Tests.Webhooks;

/// <summary>
/// <c>/webhooks</c> on the app's defaults (https only, no private addresses): bad input named by field, the secret in
/// the create answer and nowhere else. Who may call each route is the endpoint matrix's (<c>EndpointMatrixTests</c>).
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class WebhooksApiTests(EmbeddedApp app)
{
    [Theory]
    [InlineData("""{ }""", "url")]
    [InlineData("""{ "url": "not a url" }""", "url")]
    [InlineData("""{ "url": "http://hooks.example.com/in" }""", "url")]
    [InlineData("""{ "url": "https://127.0.0.1/in" }""", "url")]
    [InlineData("""{ "url": "https://10.1.2.3/in" }""", "url")]
    [InlineData("""{ "url": "https://[::1]/in" }""", "url")]
    [InlineData("""{ "url": "https://localhost:8443/in" }""", "url")]
    [InlineData("""{ "url": "https://user:pw@hooks.example.com/in" }""", "url")]
    [InlineData("""{ "url": "https://hooks.example.com/in", "eventTypes": [] }""", "eventTypes")]
    [InlineData("""{ "url": "https://hooks.example.com/in", "eventTypes": ["saasonboarding.tenant.eaten"] }""", "eventTypes")]
    public async Task BadInputIsRefusedNamingTheFieldAndMakesNoEndpoint(string body, string field)
    {
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var before = (await system.GetFromJsonAsync<JsonElement>("/webhooks?limit=100")).GetProperty("items").GetArrayLength();

        var response = await system.PostAsync("/webhooks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldNameFields(field);
        Assert.Equal(before, (await system.GetFromJsonAsync<JsonElement>("/webhooks?limit=100")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task TheSecretIsInTheCreateAnswerOnlyNeverInAReadAListOrALog()
    {
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var response = await system.PostAsync(
            "/webhooks",
            new StringContent("""{ "url": "https://hooks.example.com/in", "eventTypes": ["saasonboarding.tenant.registered"], "enabled": false }""", System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBe(HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal($"/webhooks/{id}", response.Headers.Location?.OriginalString);
        var read = await system.GetStringAsync($"/webhooks/{id}");
        var list = await system.GetStringAsync("/webhooks?limit=100");
        Assert.DoesNotContain("secret", read, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        var endpoint = JsonDocument.Parse(read).RootElement;
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Equal(["saasonboarding.tenant.registered"], endpoint.GetProperty("eventTypes").EnumerateArray().Select(type => type.GetString()));

        await (await system.DeleteAsync($"/webhooks/{id}")).ShouldBe(HttpStatusCode.NoContent);
        var gone = await system.GetAsync($"/webhooks/{id}");
        var problem = await gone.ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Equal(id, problem.GetProperty("webhookId").GetString());
    }

    [Fact]
    public async Task ATestEventToAnAddressThatCannotBeReachedIsAnsweredAsAFailedAttempt()
    {
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        var response = await system.PostAsJsonAsync("/webhooks", new { url = "https://hooks.invalid/in" });
        await response.ShouldBe(HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var test = await system.PostAsync($"/webhooks/{id}/test", null);

        await test.ShouldBe(HttpStatusCode.OK);
        var attempt = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("failed", JsonValueKind.Null), (attempt.GetProperty("outcome").GetString(), attempt.GetProperty("status").ValueKind));
        Assert.False(string.IsNullOrEmpty(attempt.GetProperty("error").GetString()));
        var log = await system.GetFromJsonAsync<JsonElement>($"/webhooks/{id}/deliveries");
        Assert.Equal("saasonboarding.webhook.test", log.GetProperty("items")[0].GetProperty("eventType").GetString());
        await system.DeleteAsync($"/webhooks/{id}");
    }

    [Theory]
    [InlineData("Webhooks:OutboxRetention", "-00:00:01")]
    [InlineData("Webhooks:OutboxRetention", "3651.00:00:00")]
    [InlineData("Webhooks:OutboxPruneInterval", "00:00:00.500")]
    public void AnOutboxRetentionOrPruneIntervalOutOfRangeStopsTheAppAtStartNamingTheSetting(string setting, string value)
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(setting + " must be between", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The console's Webhooks page shows event types in words (wwwroot/js/labels.js): every type an endpoint may name
    /// has its words there, so that the page never falls back to a type as the API spells it.
    /// </summary>
    [Fact]
    public void EveryEventTypeHasItsWordsOnTheWebhooksPage()
    {
        var labels = File.ReadAllText(Path.Combine(TestFigures.RepositoryRoot(), "src", "SaasOnboarding.Api", "wwwroot", "js", "labels.js"));

        var missing = SaasOnboarding.Api.Webhooks.WebhooksApi.EventTypes.Where(type => !labels.Contains($"'{type}'", StringComparison.Ordinal));

        Assert.Empty(missing);
    }
}
