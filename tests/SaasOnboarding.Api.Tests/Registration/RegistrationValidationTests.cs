namespace SaasOnboarding.Api.Tests.Registration;

[Collection(SharedEmbeddedApp.Name)]
public sealed class RegistrationValidationTests(EmbeddedApp app)
{
    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"tenantEmail":"a@example.com","tenantTier":"Basic"}""", "tenantName" },
        { """{"tenantName":"   ","tenantEmail":"a@example.com","tenantTier":"Basic"}""", "tenantName" },
        { """{"tenantName":"Semi;colon","tenantEmail":"a@example.com","tenantTier":"Basic"}""", "tenantName" },
        { """{"tenantName":"Bell\u0007","tenantEmail":"a@example.com","tenantTier":"Basic"}""", "tenantName" },
        { $$"""{"tenantName":"{{new string('x', 65)}}","tenantEmail":"a@example.com","tenantTier":"Basic"}""", "tenantName" },
        { """{"tenantName":42,"tenantEmail":"a@example.com","tenantTier":"Basic"}""", "tenantName" },
        { """{"tenantName":"Ok","tenantEmail":"not an email","tenantTier":"Basic"}""", "tenantEmail" },
        { """{"tenantName":"Ok","tenantTier":"Basic"}""", "tenantEmail" },
        { """{"tenantName":"Ok","tenantEmail":"a@example.com","tenantTier":"Gold"}""", "tenantTier" },
        { """{"tenantName":"Ok","tenantEmail":"a@example.com"}""", "tenantTier" },
        { """{"tenantName":"Ok","tenantEmail":"a@example.com","tenantTier":["Basic"]}""", "tenantTier" },
        { """{"tenantName":"Ok","tenantEmail":"a@example.com","tenantTier":"Basic","tenantPhone":"call me"}""", "tenantPhone" },
        { $$"""{"tenantName":"Ok","tenantEmail":"a@example.com","tenantTier":"Basic","tenantAddress":"{{new string('a', 257)}}"}""", "tenantAddress" },
        { """{"tenantName":"Ok","tenantEmail":"a@example.com","tenantTier":"Basic","isActive":true}""", "isActive" },
        { """{"tenantName":"Ok","tenantEmail":"a@example.com","tenantTier":"Basic","id":"0123"}""", "id" },
        { """{"tenantName":"Ok", """, "body" },
        { "[]", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadRegistrationNamesTheFieldAndStoresNothing(string body, string field)
    {
        using var client = app.CreateClient();
        var before = Directory.GetFiles(app.DataDirectory, "tenant_*").Length;
        var response = await client.PostAsync("/registration", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldNameFields(field);
        Assert.Equal(before, Directory.GetFiles(app.DataDirectory, "tenant_*").Length);
    }

    [Fact]
    public async Task MissingBodyAndWrongMediaTypeAreRefusedClearly()
    {
        using var client = app.CreateClient();
        await (await client.PostAsync("/registration", new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json"))).ShouldNameFields("body");
        await (await client.PostAsync("/registration", new StringContent("tenantName=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task OversizedBodyAnswers413()
    {
        using var client = app.CreateClient();
        var huge = JsonSerializer.Serialize(new { tenantName = "Big", tenantEmail = "a@example.com", tenantTier = "Basic", tenantAddress = new string('a', 1024 * 1024) });
        var response = await client.PostAsync("/registration", new StringContent(huge, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task RegistrationAnswersTheResourceAndItsLocation()
    {
        using var client = app.CreateClient();
        var name = "Ünïcode & Sons " + Guid.NewGuid().ToString("N")[..6];
        var response = await client.PostAsJsonAsync("/registration", new { tenantName = "  " + name + "  ", tenantEmail = "o@example.com", tenantTier = "STANDARD" });
        await response.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var tenantId = body.GetProperty("tenantId").GetString()!;
        Assert.Equal(name, body.GetProperty("tenantName").GetString());
        Assert.Equal("tenant-admin-" + tenantId, body.GetProperty("tenantAdminUserName").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal("/tenant/" + tenantId, response.Headers.Location?.ToString());
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, $"tenant_{tenantId}.db")));

        var system = await app.SystemAdminAsync();
        using var systemClient = app.Client(system.IdToken);
        var tenant = await systemClient.GetFromJsonAsync<JsonElement>("/tenant/" + tenantId);
        Assert.Equal("Standard", tenant.GetProperty("tenantTier").GetString());
    }
}

public sealed class RegistrationRateLimitTests : IDisposable
{
    private readonly AppFactory _app = new(null, new Dictionary<string, string?> { ["RateLimits:RegistrationPermits"] = "2" });

    [Fact]
    public async Task RegistrationBeyondTheLimitAnswers429WithRetryAfter()
    {
        using var client = _app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            var allowed = await client.PostAsJsonAsync("/registration", new { tenantName = "Limited " + i + Guid.NewGuid().ToString("N")[..6], tenantEmail = "l@example.com", tenantTier = "Basic" });
            await allowed.ShouldBe(HttpStatusCode.Created);
        }

        var refused = await client.PostAsJsonAsync("/registration", new { tenantName = "Limited x", tenantEmail = "l@example.com", tenantTier = "Basic" });
        await refused.ShouldBeProblem(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    public void Dispose() => _app.Dispose();
}
