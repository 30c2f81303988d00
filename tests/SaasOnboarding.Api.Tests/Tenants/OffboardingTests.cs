using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Tenants;

/// <summary>
/// Offboarding through the HTTP API, on an app whose clock the test moves (<see cref="FakeTimeProvider"/>): start and
/// cancel, who may do which, and the purge once the retention has passed, after which nothing of the tenant is left
/// in the store or the identity provider. Subclasses pick the store and the identity provider and look for traces
/// in them.
/// </summary>
public abstract class OffboardingTests(OffboardingApp fixture)
{
    protected AppFactory App => fixture.App;

    [Fact]
    public async Task OffboardingThenCancellingRestoresAnActiveTenantAndItsUsersSignInAgain()
    {
        var tenant = await App.OnboardAndSignInAsync();
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);
        using var admin = App.Client(tenant.AdminTokens.IdToken);

        var started = await system.PostAsync($"/tenant/{tenant.TenantId}/offboarding", null);
        await started.ShouldBe(HttpStatusCode.OK);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Offboarding", false, "admin", "SystemAdmin"), (Text(body, "status"), body.GetProperty("isActive").GetBoolean(), Text(body, "offboardedBy"), Text(body, "offboardedByRole")));
        Assert.Equal(body.GetProperty("offboardingStartedAt").GetDateTimeOffset().AddDays(30), body.GetProperty("purgeAfter").GetDateTimeOffset());

        // Deactivated at once: the live token is refused and the admin cannot sign in.
        await (await admin.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await SignInShouldFailAsync(tenant.AdminUserName, tenant.TenantId);

        using (var cancel = new HttpRequestMessage(HttpMethod.Delete, $"/tenant/{tenant.TenantId}/offboarding"))
        {
            cancel.Headers.TryAddWithoutValidation("If-Match", started.Headers.ETag!.Tag);
            var cancelled = await system.SendAsync(cancel);
            await cancelled.ShouldBe(HttpStatusCode.OK);
            var restored = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("Active", true), (Text(restored, "status"), restored.GetProperty("isActive").GetBoolean()));
            Assert.Equal(JsonValueKind.Null, restored.GetProperty("purgeAfter").ValueKind);
            Assert.Equal(JsonValueKind.Null, restored.GetProperty("offboardedBy").ValueKind);
        }

        var again = await App.SignInAsync(tenant.AdminUserName, ApiClient.NewPassword);
        using var signedIn = App.Client(again.IdToken);
        await (await signedIn.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CancellingTheOffboardingOfAnInactiveTenantLeavesItInactive()
    {
        var tenant = await App.OnboardAsync();
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);
        await (await system.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);

        var started = await (await system.PostAsync($"/tenant/{tenant.TenantId}/offboarding", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Offboarding", Text(started, "status"));
        var cancelled = await system.DeleteAsync($"/tenant/{tenant.TenantId}/offboarding");

        await cancelled.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Inactive", Text(await cancelled.Content.ReadFromJsonAsync<JsonElement>(), "status"));
        Assert.Equal("Inactive", Text(await system.GetFromJsonAsync<JsonElement>($"/tenant/{tenant.TenantId}"), "status"));
    }

    [Fact]
    public async Task ATenantAdminClosesItsOwnAccountButNotAnothersAndCannotCancel()
    {
        var own = await App.OnboardAsync();
        var other = await App.OnboardAsync();
        using var admin = App.Client(own.AdminTokens.IdToken);
        using var otherAdmin = App.Client(other.AdminTokens.IdToken);

        await (await otherAdmin.PostAsync($"/tenant/{own.TenantId}/offboarding", null)).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await otherAdmin.DeleteAsync($"/tenant/{other.TenantId}/offboarding")).ShouldBeProblem(HttpStatusCode.Forbidden);

        var closed = await admin.PostAsync($"/tenant/{own.TenantId}/offboarding", null);
        await closed.ShouldBe(HttpStatusCode.OK);
        var body = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Offboarding", own.AdminUserName, "TenantAdmin"), (Text(body, "status"), Text(body, "offboardedBy"), Text(body, "offboardedByRole")));

        using var system = App.Client((await App.SystemAdminAsync()).IdToken);
        var read = await system.GetFromJsonAsync<JsonElement>($"/tenant/{own.TenantId}");
        Assert.Equal(("Offboarding", own.AdminUserName), (Text(read, "status"), Text(read, "offboardedBy")));
        Assert.Equal("Active", Text(await system.GetFromJsonAsync<JsonElement>($"/tenant/{other.TenantId}"), "status"));
    }

    [Fact]
    public async Task MovesTheStatusDoesNotAllowAnswer409AndAStaleTag412WithNothingChanged()
    {
        var tenant = await App.OnboardAsync();
        using var system = App.Client((await App.SystemAdminAsync()).IdToken);
        var path = $"/tenant/{tenant.TenantId}";

        await (await system.DeleteAsync(path + "/offboarding")).ShouldBeProblem(HttpStatusCode.Conflict);
        using (var stale = new HttpRequestMessage(HttpMethod.Post, path + "/offboarding"))
        {
            stale.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");
            await (await system.SendAsync(stale)).ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        }

        Assert.Equal("Active", Text(await system.GetFromJsonAsync<JsonElement>(path), "status"));
        await (await system.PostAsync(path + "/offboarding", null)).ShouldBe(HttpStatusCode.OK);
        var offboarding = await system.GetFromJsonAsync<JsonElement>(path);

        var problem = await (await system.PostAsync(path + "/offboarding", null)).ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Equal("status", Text(problem, "field"));
        await (await system.DeleteAsync(path)).ShouldBeProblem(HttpStatusCode.Conflict);
        await (await system.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBeProblem(HttpStatusCode.Conflict);

        Assert.Equal(offboarding.ToString(), (await system.GetFromJsonAsync<JsonElement>(path)).ToString());
    }

    /// <summary>In an app of its own: the clock it moves 30 days on would date the tokens the other tests mint in the future.</summary>
    [Fact]
    public async Task AfterTheRetentionThePurgeLeavesNothingOfTheTenantAndItsNameIsFreeAgain()
    {
        var own = NewApp();
        await own.InitializeAsync();
        try
        {
            await PurgeAfterRetentionAsync(own.App, own.Clock);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    private async Task PurgeAfterRetentionAsync(AppFactory app, FakeTimeProvider clock)
    {
        var tenant = await app.OnboardAsync();
        var userName = "purge-" + tenant.TenantId[..8];
        await app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        var neighbour = await app.OnboardAsync();
        using var system = app.Client((await app.SystemAdminAsync()).IdToken);
        using (var product = app.Client(tenant.AdminTokens.IdToken))
        {
            await (await product.PostAsJsonAsync("/product", new { name = "Pen", sku = "PEN-1", price = 1.5m, quantity = 3 })).ShouldBe(HttpStatusCode.Created);
        }

        await AssertTracesAsync(app, tenant.TenantId, present: true);
        await (await system.PostAsync($"/tenant/{tenant.TenantId}/offboarding", null)).ShouldBe(HttpStatusCode.OK);

        // Within the retention a pass purges nothing.
        var service = app.Services.GetRequiredService<SaasOnboarding.Api.Tenants.PurgeService>();
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await service.PurgeDueAsync(CancellationToken.None));
        Assert.Equal("Offboarding", Text(await system.GetFromJsonAsync<JsonElement>($"/tenant/{tenant.TenantId}"), "status"));

        // The retention passes: the service's next periodic pass purges the tenant.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        await WaitForStatusAsync(app, tenant.TenantId, TenantStatus.Purged);

        await (await system.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.NotFound);
        var listed = await system.GetFromJsonAsync<JsonElement>($"/tenants?search={Uri.EscapeDataString(tenant.TenantName)}");
        Assert.Empty(listed.GetProperty("items").EnumerateArray());
        var tombstones = await system.GetFromJsonAsync<JsonElement>($"/tenants?status=purged&search={Uri.EscapeDataString(tenant.TenantName)}");
        var tombstone = Assert.Single(tombstones.GetProperty("items").EnumerateArray());
        Assert.Equal(
            (tenant.TenantId, tenant.TenantName, "Purged", "admin", string.Empty),
            (Text(tombstone, "id"), Text(tombstone, "tenantName"), Text(tombstone, "status"), Text(tombstone, "offboardedBy"), Text(tombstone, "tenantEmail")));
        await AssertTracesAsync(app, tenant.TenantId, present: false);
        var directory = app.Services.GetRequiredService<IUserDirectory>();
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, tenant.AdminUserName, CancellationToken.None));
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, userName, CancellationToken.None));
        var group = await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, tenant.TenantId, 10, null, CancellationToken.None));
        Assert.Equal(DirectoryError.GroupNotFound, group.Error);
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        Assert.Null(await catalog.GetTenantUserAsync(tenant.AdminUserName, CancellationToken.None));
        Assert.Null(await catalog.GetTenantUserAsync(userName, CancellationToken.None));

        // The neighbour is untouched, and the name is free for a new tenant.
        await AssertTracesAsync(app, neighbour.TenantId, present: true);
        Assert.NotNull(await directory.GetUserAsync(UserPool.Tenant, neighbour.AdminUserName, CancellationToken.None));
        var registeredAgain = await app.RegisterAsync(tenant.TenantName.ToUpperInvariant());
        Assert.NotEqual(tenant.TenantId, registeredAgain.TenantId);
    }

    [Fact]
    public async Task ListingByAStatusThatIsNoneNamesTheField() =>
        await (await App.Client((await App.SystemAdminAsync()).IdToken).GetAsync("/tenants?status=provisioning")).ShouldNameFields("status");

    /// <summary>Asserts that the store of <paramref name="app"/> holds the tenant's child database, or no trace of it.</summary>
    protected abstract Task AssertTracesAsync(AppFactory app, string tenantId, bool present);

    /// <summary>A new app of the kind the class's fixture is, for a test that moves the clock far.</summary>
    protected abstract OffboardingApp NewApp();

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();

    private static async Task WaitForStatusAsync(AppFactory app, string tenantId, TenantStatus status)
    {
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await catalog.GetTenantAsync(tenantId, CancellationToken.None))!.Status != status)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>
    /// The user cannot sign in: with the right password the local identity provider says the company is deactivated;
    /// on cognito-local, which signs disabled users in (docs/identity-cognito.md), the token it gets is refused instead.
    /// </summary>
    private async Task SignInShouldFailAsync(string userName, string tenantId)
    {
        using var client = App.CreateClient();
        var response = await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword });
        if (!App.IdentityIsStandIn)
        {
            var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden);
            Assert.Equal(Api.Auth.AuthApi.TenantDeactivatedType, problem.GetProperty("type").GetString());
            return;
        }

        var tokens = (await response.Content.ReadFromJsonAsync<Tokens>())!;
        using var signedIn = App.Client(tokens.IdToken);
        Assert.False((await signedIn.GetAsync($"/tenant/{tenantId}")).IsSuccessStatusCode, $"{userName} was served");
    }
}

/// <summary>An app of the test class's own, with a clock that stands still until a test advances it.</summary>
public abstract class OffboardingApp : IAsyncLifetime, IDisposable
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public abstract AppFactory App { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => DisposeAppAsync();

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }

    protected void UseClock(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    protected virtual Task DisposeAppAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class EmbeddedOffboardingApp : OffboardingApp
{
    public EmbeddedOffboardingApp() => App = new AppFactory(null, null, UseClock);

    public override AppFactory App { get; }
}

public sealed class PostgresOffboardingApp : OffboardingApp
{
    private readonly PostgresApp _app;

    public PostgresOffboardingApp() => _app = PostgresApp.WithServices(UseClock);

    public override AppFactory App => _app;

    public override Task InitializeAsync() => _app.InitializeAsync();

    protected override Task DisposeAppAsync() => ((IAsyncLifetime)_app).DisposeAsync();
}

public sealed class CognitoOffboardingApp : OffboardingApp
{
    private readonly CognitoLocalApp _app;

    public CognitoOffboardingApp() => _app = CognitoLocalApp.WithServices(UseClock);

    public override AppFactory App => _app;

    public override Task InitializeAsync() => _app.InitializeAsync();

    protected override Task DisposeAppAsync() => ((IAsyncLifetime)_app).DisposeAsync();
}

/// <summary>SQLite: the tenant's file (and its -wal and -shm) is there, or gone.</summary>
public sealed class EmbeddedOffboardingTests(EmbeddedOffboardingApp fixture) : OffboardingTests(fixture), IClassFixture<EmbeddedOffboardingApp>
{
    protected override OffboardingApp NewApp() => new EmbeddedOffboardingApp();

    protected override Task AssertTracesAsync(AppFactory app, string tenantId, bool present)
    {
        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(app.DataDirectory, $"tenant_{tenantId}*");
        Assert.Equal(present, files.Any(file => file.EndsWith(".db", StringComparison.Ordinal)));
        if (!present)
        {
            Assert.Empty(files);
        }

        return Task.CompletedTask;
    }
}

/// <summary>PostgreSQL: the tenant's schema in <c>pg_namespace</c> and its role in <c>pg_roles</c>, or neither.</summary>
public sealed class PostgresOffboardingTests(PostgresOffboardingApp fixture) : OffboardingTests(fixture), IClassFixture<PostgresOffboardingApp>
{
    protected override OffboardingApp NewApp() => new PostgresOffboardingApp();

    protected override async Task AssertTracesAsync(AppFactory app, string tenantId, bool present)
    {
        await using var connection = await ((PostgresApp)app).Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = @name), (SELECT count(*) FROM pg_roles WHERE rolname = @name),
                   (SELECT count(*) FROM catalog.tenant_user WHERE tenant_id = @id)
            """,
            connection);
        command.Parameters.AddWithValue("name", TenantIds.DatabaseName(tenantId));
        command.Parameters.AddWithValue("id", tenantId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var expected = present ? 1L : 0L;
        Assert.Equal((expected, expected), (reader.GetInt64(0), reader.GetInt64(1)));
        Assert.Equal(present, reader.GetInt64(2) > 0);
    }
}

/// <summary>cognito-local as the identity provider (users and group checked through the directory), SQLite as the store.</summary>
public sealed class CognitoOffboardingTests(CognitoOffboardingApp fixture) : OffboardingTests(fixture), IClassFixture<CognitoOffboardingApp>
{
    protected override OffboardingApp NewApp() => new CognitoOffboardingApp();

    protected override Task AssertTracesAsync(AppFactory app, string tenantId, bool present)
    {
        SqliteConnection.ClearAllPools();
        Assert.Equal(present, File.Exists(Path.Combine(app.DataDirectory, $"tenant_{tenantId}.db")));
        return Task.CompletedTask;
    }
}
