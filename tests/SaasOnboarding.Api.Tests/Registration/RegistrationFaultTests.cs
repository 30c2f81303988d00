using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Registration;

/// <summary>
/// Failures injected into every call of the registration saga, and of deactivation and activation, with the store
/// and identity provider of <typeparamref name="TApp"/>.
/// </summary>
public abstract class RegistrationFaultTests<TApp> : IClassFixture<TApp>
    where TApp : AppFactory
{
    private readonly TApp _app;
    private readonly FaultPlan _plan;

    protected RegistrationFaultTests(TApp app)
    {
        _app = app;
        _plan = app.EnableFaults();
    }

    [Theory]
    [MemberData(nameof(SagaFaults.Calls), MemberType = typeof(SagaFaults))]
    public async Task RegistrationThatFailsAtAnyStepLeavesNothingBehind(string call, FaultTiming timing)
    {
        var name = $"Faulty {call} {timing} {Guid.NewGuid():N}"[..Math.Min(60, call.Length + 30)].Trim();
        _plan.Disarm();
        while (_plan.TenantIdsSeen.TryDequeue(out _))
        {
        }

        _plan.Arm(call, timing);
        using var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/registration", new { tenantName = name, tenantEmail = "f@example.com", tenantTier = "Basic" });
        var problem = await response.ShouldBeProblem(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("InjectedFault", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var tenantId = Assert.Single(_plan.TenantIdsSeen.Distinct());
        await AssertNothingLeftAsync(tenantId);
        TestFigures.Write($"fault-{typeof(TApp).Name}-{call}-{timing}", new { call, timing = timing.ToString(), orphans = 0 });

        // The name is free again, and a retry succeeds completely.
        var retry = await client.PostAsJsonAsync("/registration", new { tenantName = name, tenantEmail = "f@example.com", tenantTier = "Basic" });
        await retry.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData(nameof(ITenantCatalog.SetTenantStatusAsync), FaultTiming.Before)]
    [InlineData(nameof(IUserDirectory.ListUsersInGroupAsync), FaultTiming.Before)]
    [InlineData(nameof(IUserDirectory.SetUserEnabledAsync), FaultTiming.Before)]
    [InlineData(nameof(IUserDirectory.SetUserEnabledAsync), FaultTiming.After)]
    public async Task DeactivationThatFailsRefusesTheTenantOrChangesNothingAndARetryFinishesIt(string call, FaultTiming timing)
    {
        _plan.Disarm();
        var tenant = await _app.OnboardAsync();
        var userName = "fault-user-" + tenant.TenantId[..8];
        await _app.AddUserAsync(tenant.AdminTokens.IdToken, userName);
        var system = await _app.SystemAdminAsync();
        using var systemClient = _app.Client(system.IdToken);
        using var adminClient = _app.Client(tenant.AdminTokens.IdToken);

        _plan.Arm(call, timing);
        await (await systemClient.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.InternalServerError);

        // Fail-secure: either the tenant was not touched at all, or it is already refused.
        var after = await adminClient.GetAsync($"/tenant/{tenant.TenantId}");
        Assert.Contains(after.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Forbidden });
        if (call == nameof(ITenantCatalog.SetTenantStatusAsync))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        // Calling again finishes the job.
        await (await systemClient.DeleteAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        await (await adminClient.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBeProblem(HttpStatusCode.Forbidden);
        var users = await systemClient.GetFromJsonAsync<JsonElement>($"/users?tenantId={tenant.TenantId}");
        Assert.All(users.GetProperty("items").EnumerateArray(), user => Assert.False(user.GetProperty("enabled").GetBoolean()));

        // Activation that fails is finished by a retry too.
        _plan.Arm(call, timing);
        await (await systemClient.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBeProblem(HttpStatusCode.InternalServerError);
        await (await systemClient.PutAsync($"/tenant/activation/{tenant.TenantId}", null)).ShouldBe(HttpStatusCode.OK);
        await (await adminClient.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
        var enabled = await systemClient.GetFromJsonAsync<JsonElement>($"/users?tenantId={tenant.TenantId}");
        Assert.All(enabled.GetProperty("items").EnumerateArray(), user => Assert.True(user.GetProperty("enabled").GetBoolean()));
        TestFigures.Write($"fault-{typeof(TApp).Name}-lifecycle-{call}-{timing}", new { call, timing = timing.ToString(), orphans = 0 });
    }

    private async Task AssertNothingLeftAsync(string tenantId)
    {
        var catalog = _app.Services.GetRequiredService<ITenantCatalog>();
        var directory = _app.Services.GetRequiredService<IUserDirectory>();
        var adminUserName = "tenant-admin-" + tenantId;

        Assert.Null(await catalog.GetTenantAsync(tenantId, default));
        Assert.Null(await catalog.GetTenantUserAsync(adminUserName, default));
        Assert.DoesNotContain(await catalog.ListJournalsAsync(default), journal => journal.TenantId == tenantId);

        // An undone registration emits nothing, even when its activation (which writes the event) had committed.
        Assert.Empty(await catalog.ListOutboxAsync(tenantId, 0, 10, default));
        Assert.Empty(Directory.GetFiles(_app.DataDirectory, $"tenant_{tenantId}*"));
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, adminUserName, default));
        var missingGroup = await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default));
        Assert.Equal(DirectoryError.GroupNotFound, missingGroup.Error);
    }
}

/// <summary>SQLite files and the local identity provider.</summary>
public sealed class EmbeddedRegistrationFaultTests(FaultyEmbeddedApp app) : RegistrationFaultTests<FaultyEmbeddedApp>(app);

/// <summary>PostgreSQL and the local identity provider.</summary>
public sealed class PostgresRegistrationFaultTests(PostgresApp app) : RegistrationFaultTests<PostgresApp>(app);

/// <summary>SQLite files and Amazon Cognito (cognito-local).</summary>
public sealed class CognitoRegistrationFaultTests(CognitoLocalApp app) : RegistrationFaultTests<CognitoLocalApp>(app);
