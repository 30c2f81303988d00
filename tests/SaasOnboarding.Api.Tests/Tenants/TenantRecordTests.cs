namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// Tenant records through the public API: concurrent partial updates, entity tags and <c>If-Match</c>, and names
/// that only look different. Subclasses pick the store.
/// </summary>
public abstract class TenantRecordTests<TApp>(TApp app)
    where TApp : AppFactory
{
    protected TApp App { get; } = app;

    [Fact]
    public async Task ATenantAdminsPhoneChangeRacingASystemAdminsTierChangeLosesNeither()
    {
        var tenant = await App.OnboardAsync();
        var system = await App.SystemAdminAsync();
        using var adminClient = App.Client(tenant.AdminTokens.IdToken);
        using var systemClient = App.Client(system.IdToken);
        string[] tiers = ["Standard", "Premium", "Platinum", "Basic"];
        var lost = new List<string>();

        for (var trial = 0; trial < 20; trial++)
        {
            var phone = $"+1 555 {trial:0000}";
            var tier = tiers[trial % tiers.Length];
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var phoneChange = Task.Run(async () =>
            {
                await start.Task;
                return await adminClient.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantPhone = phone });
            });
            var tierChange = Task.Run(async () =>
            {
                await start.Task;
                return await systemClient.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantTier = tier });
            });
            start.SetResult();
            foreach (var response in await Task.WhenAll(phoneChange, tierChange))
            {
                using (response)
                {
                    await response.ShouldBe(HttpStatusCode.OK);
                }
            }

            var read = await systemClient.GetFromJsonAsync<JsonElement>($"/tenant/{tenant.TenantId}");
            if (read.GetProperty("tenantPhone").GetString() != phone || read.GetProperty("tenantTier").GetString() != tier)
            {
                lost.Add($"trial {trial}: wanted {phone} and {tier}, read {read}");
            }
        }

        Assert.Empty(lost);
    }

    [Fact]
    public async Task APutWithAStaleIfMatchAnswers412AndChangesNothingAndAFreshOneSucceeds()
    {
        var tenant = await App.OnboardAsync();
        using var client = App.Client(tenant.AdminTokens.IdToken);
        var path = $"/tenant/{tenant.TenantId}";
        var first = await ReadAsync(client, path);

        // Another writer changes the tenant: the tag read first is now stale.
        using (var other = await client.PutAsJsonAsync(path, new { tenantAddress = "3 Other Road" }))
        {
            await other.ShouldBe(HttpStatusCode.OK);
            Assert.NotEqual(first.ETag, ETag(other));
        }

        var current = await ReadAsync(client, path);
        using (var stale = await SendAsync(client, HttpMethod.Put, path, first.ETag, new { tenantPhone = "+1 555 4120", tenantAddress = "4 Stale Road" }))
        {
            await stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        }

        var unchanged = await ReadAsync(client, path);
        Assert.Equal(current.Body.ToString(), unchanged.Body.ToString());
        Assert.Equal(current.ETag, unchanged.ETag);

        using var fresh = await SendAsync(client, HttpMethod.Put, path, current.ETag, new { tenantPhone = "+1 555 2000" });
        await fresh.ShouldBe(HttpStatusCode.OK);
        var after = await ReadAsync(client, path);
        Assert.Equal("+1 555 2000", after.Body.GetProperty("tenantPhone").GetString());
        Assert.Equal("3 Other Road", after.Body.GetProperty("tenantAddress").GetString());
        Assert.Equal(after.ETag, ETag(fresh));
        Assert.NotEqual(current.ETag, after.ETag);

        // Without If-Match, as before: the write goes ahead.
        using var unconditional = await client.PutAsJsonAsync(path, new { tenantPhone = "+1 555 3000" });
        await unconditional.ShouldBe(HttpStatusCode.OK);
        Assert.Equal((await ReadAsync(client, path)).ETag, ETag(unconditional));

        // If-Match: * matches the tenant whatever its version; a weak tag never matches.
        using var any = await SendAsync(client, HttpMethod.Put, path, "*", new { tenantPhone = "+1 555 3001" });
        await any.ShouldBe(HttpStatusCode.OK);
        var latest = await ReadAsync(client, path);
        using var weak = await SendAsync(client, HttpMethod.Put, path, "W/" + latest.ETag, new { tenantPhone = "+1 555 3002" });
        await weak.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal("+1 555 3001", (await ReadAsync(client, path)).Body.GetProperty("tenantPhone").GetString());
    }

    [Fact]
    public async Task DeactivationAndActivationHonourIfMatchAndAnswerTheTagAReadAnswers()
    {
        var tenant = await App.OnboardAsync();
        var system = await App.SystemAdminAsync();
        using var client = App.Client(system.IdToken);
        var path = $"/tenant/{tenant.TenantId}";
        var first = await ReadAsync(client, path);
        using (var changed = await client.PutAsJsonAsync(path, new { tenantAddress = "5 Moved Road" }))
        {
            await changed.ShouldBe(HttpStatusCode.OK);
        }

        using (var stale = await SendAsync(client, HttpMethod.Delete, path, first.ETag))
        {
            await stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        }

        var current = await ReadAsync(client, path);
        Assert.True(current.Body.GetProperty("isActive").GetBoolean());
        using (var tenantStillWorks = App.Client(tenant.AdminTokens.IdToken))
        {
            await (await tenantStillWorks.GetAsync(path)).ShouldBe(HttpStatusCode.OK);
        }

        using var deactivated = await SendAsync(client, HttpMethod.Delete, path, current.ETag);
        await deactivated.ShouldBe(HttpStatusCode.OK);
        var inactive = await ReadAsync(client, path);
        Assert.False(inactive.Body.GetProperty("isActive").GetBoolean());
        Assert.Equal(inactive.ETag, ETag(deactivated));

        using (var stale = await SendAsync(client, HttpMethod.Put, $"/tenant/activation/{tenant.TenantId}", current.ETag))
        {
            await stale.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        }

        Assert.False((await ReadAsync(client, path)).Body.GetProperty("isActive").GetBoolean());
        using var activated = await SendAsync(client, HttpMethod.Put, $"/tenant/activation/{tenant.TenantId}", inactive.ETag);
        await activated.ShouldBe(HttpStatusCode.OK);
        var active = await ReadAsync(client, path);
        Assert.True(active.Body.GetProperty("isActive").GetBoolean());
        Assert.Equal(active.ETag, ETag(activated));
    }

    [Fact]
    public async Task NamesThatOnlyLookDifferentAreTakenAndMixedScriptsAreRefused()
    {
        var marker = "N" + Guid.NewGuid().ToString("N")[..10];
        var registered = await App.RegisterAsync($"Acme {marker}");
        using var anonymous = App.CreateClient();

        // Full-width letters (NFKC folds them) in another case are the same name.
        var fullWidth = string.Concat($"ACME {marker.ToLowerInvariant()}".Select(c => c is ' ' ? c : (char)(c + 0xFEE0)));
        var lookAlike = await anonymous.PostAsJsonAsync("/registration", new { tenantName = fullWidth, tenantEmail = "x@example.com", tenantTier = "Basic" });
        Assert.Equal("tenantName", (await lookAlike.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("field").GetString());

        // A Cyrillic А among Latin letters is refused outright, whether or not a Latin "Acme" exists.
        foreach (var mixed in new[] { $"\u0410cme {marker}", $"\u0410cme Fresh {marker}", $"Ac\u03BCe {marker}" })
        {
            var refused = await anonymous.PostAsJsonAsync("/registration", new { tenantName = mixed, tenantEmail = "x@example.com", tenantTier = "Basic" });
            await refused.ShouldNameFields("tenantName");
        }

        // One script only is fine, whichever it is.
        await App.RegisterAsync($"\u0410\u0441\u043C\u0435 {Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999)}");

        // Renames follow the same rules, and a refused rename changes nothing.
        var other = await App.OnboardAsync();
        using var client = App.Client(other.AdminTokens.IdToken);
        var path = $"/tenant/{other.TenantId}";
        var before = await ReadAsync(client, path);
        await (await client.PutAsJsonAsync(path, new { tenantName = $"\u0410cme Renamed {marker}", tenantPhone = "+1 555 9999" })).ShouldNameFields("tenantName");
        var taken = await client.PutAsJsonAsync(path, new { tenantName = fullWidth, tenantPhone = "+1 555 9999" });
        Assert.Equal("tenantName", (await taken.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("field").GetString());
        Assert.Equal(before.Body.ToString(), (await ReadAsync(client, path)).Body.ToString());
        Assert.NotEqual(registered.TenantId, other.TenantId);
    }

    private static string? ETag(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    private static async Task<(JsonElement Body, string ETag)> ReadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.ShouldBe(HttpStatusCode.OK);
        var etag = ETag(response);
        Assert.False(string.IsNullOrEmpty(etag), $"GET {path} answered no ETag.");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), etag!);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string ifMatch, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }
}

/// <summary>SQLite files.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedTenantRecordTests(EmbeddedApp app) : TenantRecordTests<EmbeddedApp>(app);

/// <summary>PostgreSQL, which keeps microseconds: the tags a write answers must still be those a read answers.</summary>
[Collection(SharedPostgresApp.Name)]
public sealed class PostgresTenantRecordTests(PostgresApp app) : TenantRecordTests<PostgresApp>(app);
