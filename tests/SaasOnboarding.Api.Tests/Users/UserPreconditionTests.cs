using System.Net.Http.Headers;

namespace SaasOnboarding.Api.Tests.Users;

/// <summary>Users answer an ETag; PUT and DELETE with a stale If-Match answer 412 and change nothing.</summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class UserPreconditionTests(EmbeddedApp app)
{
    [Fact]
    public async Task AStaleIfMatchIsRefusedAndACurrentOneIsHonoured()
    {
        var tenant = await app.OnboardAsync();
        var userName = "tagged-" + tenant.TenantId[..8];
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var admin = app.Client(tenant.AdminTokens.IdToken);

        var read = await admin.GetAsync($"/user/{userName}");
        await read.ShouldBe(HttpStatusCode.OK);
        var original = read.Headers.ETag ?? throw new Xunit.Sdk.XunitException("GET /user answered no ETag");
        Assert.False(original.IsWeak);

        // Reading again answers the same tag; a current If-Match lets the change through and answers the new tag.
        Assert.Equal(original, (await admin.GetAsync($"/user/{userName}")).Headers.ETag);
        var changed = await SendAsync(admin, HttpMethod.Put, userName, original, new { userEmail = "first@example.com" });
        await changed.ShouldBe(HttpStatusCode.OK);
        var current = changed.Headers.ETag!;
        Assert.NotEqual(original, current);
        Assert.Equal(current, (await admin.GetAsync($"/user/{userName}")).Headers.ETag);

        // The original tag is stale now: neither PUT nor DELETE changes anything.
        var stalePut = await SendAsync(admin, HttpMethod.Put, userName, original, new { userEmail = "second@example.com", userRole = "TenantAdmin" });
        await stalePut.ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        await (await SendAsync(admin, HttpMethod.Delete, userName, original)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        var unchanged = await admin.GetFromJsonAsync<JsonElement>($"/user/{userName}");
        Assert.Equal(("first@example.com", "TenantUser", true), (unchanged.GetProperty("email").GetString(), unchanged.GetProperty("userRole").GetString(), unchanged.GetProperty("enabled").GetBoolean()));
        using (var self = app.Client(user.IdToken))
        {
            await (await self.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        }

        // With the current tag, DELETE disables the user.
        var deleted = await SendAsync(admin, HttpMethod.Delete, userName, current);
        await deleted.ShouldBe(HttpStatusCode.OK);
        Assert.False((await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.NotEqual(current, deleted.Headers.ETag);
    }

    [Fact]
    public async Task WithoutIfMatchOrWithAStarTheWriteIsUnconditional()
    {
        var tenant = await app.OnboardAsync();
        var userName = "untagged-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var admin = app.Client(tenant.AdminTokens.IdToken);

        await (await admin.PutAsJsonAsync($"/user/{userName}", new { userEmail = "a@example.com" })).ShouldBe(HttpStatusCode.OK);
        using var star = new HttpRequestMessage(HttpMethod.Put, $"/user/{userName}") { Content = JsonContent.Create(new { userEmail = "b@example.com" }) };
        star.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        await (await admin.SendAsync(star)).ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string userName, EntityTagHeaderValue ifMatch, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"/user/{userName}") { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.IfMatch.Add(ifMatch);
        return await client.SendAsync(request);
    }
}
