using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Users;

/// <summary>
/// <c>POST /user/{userName}/remove</c> removes a disabled user for good, from the directory (each provider) and its
/// catalog mapping, with one audit entry and one <c>user.removed</c> event; refused while the user is enabled;
/// another tenant's user answers 404. A removal whose directory delete never happened is finished by sending it again.
/// </summary>
public abstract class RemoveUserTests<TApp>(TApp app)
    where TApp : AppFactory
{
    [Fact]
    public async Task ADisabledUserIsRemovedFromTheDirectoryAndItsTenantWithOneEntryAndOneEvent()
    {
        var tenant = await app.OnboardAsync();
        var other = await app.OnboardAsync();
        var userName = "leaver-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        using var stranger = app.Client(other.AdminTokens.IdToken);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();

        var enabled = await (await admin.PostAsync($"/user/{userName}/remove", null)).ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("User is enabled", enabled.GetProperty("title").GetString());
        await (await admin.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);
        await (await stranger.PostAsync($"/user/{userName}/remove", null)).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.NotNull(await catalog.GetTenantUserAsync(userName, CancellationToken.None));

        await (await admin.PostAsync($"/user/{userName}/remove", null)).ShouldBe(HttpStatusCode.NoContent);

        await (await admin.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.Null(await catalog.GetTenantUserAsync(userName, CancellationToken.None));
        await (await admin.PostAsync($"/user/{userName}/remove", null)).ShouldBeProblem(HttpStatusCode.NotFound);
        var events = await catalog.ListOutboxAsync(tenant.TenantId, 0, 100, CancellationToken.None);
        var removed = Assert.Single(events, e => e.Type == LifecycleEvents.UserRemoved);
        Assert.Equal($$"""{"tenantId":"{{tenant.TenantId}}","userName":"{{userName}}"}""", removed.Data);
        var entries = (await catalog.ListAuditAsync(new AuditQuery(TenantId: tenant.TenantId, Action: "POST /user/{userName}/remove"), 100, null, CancellationToken.None)).Items;
        Assert.Equal(
            [(AuditOutcomes.Refused, tenant.AdminUserName), (AuditOutcomes.Succeeded, tenant.AdminUserName), (AuditOutcomes.Refused, tenant.AdminUserName)],
            entries.Where(entry => entry.Target == userName).Select(entry => (entry.Outcome, entry.Actor)));
    }

    [Fact]
    public async Task ARemovalThatStoppedAfterItsCatalogWriteIsFinishedBySendingItAgainWithoutASecondEvent()
    {
        var tenant = await app.OnboardAsync();
        var userName = "halfgone-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        await (await system.DeleteAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        // What a crash between the two writes leaves: the mapping gone (with its event), the directory's user still there.
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        await catalog.RemoveTenantUserAsync(userName, CancellationToken.None);
        await (await system.GetAsync($"/user/{userName}")).ShouldBe(HttpStatusCode.OK);

        await (await system.PostAsync($"/user/{userName}/remove", null)).ShouldBe(HttpStatusCode.NoContent);

        await (await system.GetAsync($"/user/{userName}")).ShouldBeProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await catalog.ListOutboxAsync(tenant.TenantId, 0, 100, CancellationToken.None), e => e.Type == LifecycleEvents.UserRemoved);
    }
}

[Collection(SharedEmbeddedApp.Name)]
public sealed class EmbeddedRemoveUserTests(EmbeddedApp app) : RemoveUserTests<EmbeddedApp>(app);

[Collection(SharedCognitoLocalApp.Name)]
public sealed class CognitoLocalRemoveUserTests(CognitoLocalApp app) : RemoveUserTests<CognitoLocalApp>(app);
