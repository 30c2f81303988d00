using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tests.Infrastructure;

namespace SaasOnboarding.Api.Tests.Registration;

/// <summary>A registration app whose ports fail on demand.</summary>
public sealed class FaultyApp : AppFactory
{
    public FaultyApp()
        : base(null, null, services =>
        {
            services.AddSingleton(Plan);
            services.WrapWithFaults<ITenantCatalog>(Plan);
            services.WrapWithFaults<ITenantDatabases>(Plan);
            services.WrapWithFaults<IUserDirectory>(Plan);
        })
    {
    }

    // Static because the services callback runs inside the base constructor call.
    public static FaultPlan Plan { get; } = new();
}

public sealed class RegistrationFaultTests(FaultyApp app) : IClassFixture<FaultyApp>
{
    /// <summary>Every call the saga makes, in order, failing before and after it does its work.</summary>
    public static TheoryData<string, FaultTiming> SagaCalls()
    {
        var data = new TheoryData<string, FaultTiming>();
        string[] calls =
        [
            nameof(ITenantCatalog.WriteJournalAsync),
            nameof(ITenantCatalog.TryInsertTenantAsync),
            nameof(ITenantDatabases.CreateAsync),
            nameof(IUserDirectory.CreateGroupAsync),
            nameof(IUserDirectory.CreateUserAsync),
            nameof(IUserDirectory.AddUserToGroupAsync),
            nameof(ITenantCatalog.UpsertTenantUserAsync),
            nameof(ITenantCatalog.SetTenantStatusAsync),
        ];
        foreach (var call in calls)
        {
            data.Add(call, FaultTiming.Before);
            data.Add(call, FaultTiming.After);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SagaCalls))]
    public async Task RegistrationThatFailsAtAnyStepLeavesNothingBehind(string call, FaultTiming timing)
    {
        var name = $"Faulty {call} {timing} {Guid.NewGuid():N}"[..Math.Min(60, call.Length + 30)].Trim();
        FaultyApp.Plan.Disarm();
        while (FaultyApp.Plan.TenantIdsSeen.TryDequeue(out _))
        {
        }

        FaultyApp.Plan.Arm(call, timing);
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/registration", new { tenantName = name, tenantEmail = "f@example.com", tenantTier = "Basic" });
        var problem = await response.ShouldBeProblem(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("InjectedFault", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var tenantId = Assert.Single(FaultyApp.Plan.TenantIdsSeen.Distinct());
        await AssertNothingLeftAsync(tenantId);
        TestFigures.Write($"fault-{call}-{timing}", new { call, timing = timing.ToString(), orphans = 0 });

        // The name is free again, and a retry succeeds completely.
        var retry = await client.PostAsJsonAsync("/registration", new { tenantName = name, tenantEmail = "f@example.com", tenantTier = "Basic" });
        await retry.ShouldBe(HttpStatusCode.Created);
    }

    private async Task AssertNothingLeftAsync(string tenantId)
    {
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var databases = app.Services.GetRequiredService<ITenantDatabases>();
        var directory = app.Services.GetRequiredService<IUserDirectory>();
        var adminUserName = "tenant-admin-" + tenantId;

        Assert.Null(await catalog.GetTenantAsync(tenantId, default));
        Assert.Null(await catalog.GetTenantUserAsync(adminUserName, default));
        Assert.DoesNotContain(await catalog.ListJournalsAsync(default), journal => journal.TenantId == tenantId);
        Assert.False(await databases.ExistsAsync(tenantId, default));
        Assert.Empty(Directory.GetFiles(app.DataDirectory, $"tenant_{tenantId}*"));
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, adminUserName, default));
        var missingGroup = await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default));
        Assert.Equal(DirectoryError.GroupNotFound, missingGroup.Error);
    }
}
