using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tests.Registration;

/// <summary>
/// The saga's own refusals, with the app's real ports and a change or failure slipped in between two of its steps.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class RegistrationSagaTests(EmbeddedApp app)
{
    [Fact]
    public async Task ATenantThatVanishesBeforeActivationIsNotReportedRegisteredAndLeavesNothingBehind()
    {
        var real = app.Services.GetRequiredService<ITenantCatalog>();
        var catalog = PortHook.Wrap(real, (method, args, call) => method == nameof(ITenantCatalog.SetTenantStatusAsync)
            ? DeleteThenAsync(real, (string)args[0]!, call)
            : call());
        var saga = ActivatorUtilities.CreateInstance<RegistrationSaga>(app.Services, catalog);
        var name = "Vanishing " + Guid.NewGuid().ToString("N")[..12];

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => saga.RegisterAsync(Request(name)));

        var tenantId = TenantIdIn(failure.Message);
        await AssertNothingLeftAsync(tenantId);
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Registration of tenant {tenantId} failed at step {RegistrationSteps.Activate}; undoing it", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Undid the registration of tenant {tenantId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATakenNameAnswersNullAndLeavesNoJournal()
    {
        var saga = ActivatorUtilities.CreateInstance<RegistrationSaga>(app.Services);
        var name = "Taken " + Guid.NewGuid().ToString("N")[..12];
        var first = await saga.RegisterAsync(Request(name));
        Assert.NotNull(first);

        Assert.Null(await saga.RegisterAsync(Request(name.ToUpperInvariant())));

        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        Assert.DoesNotContain(await catalog.ListJournalsAsync(default), journal => journal.TenantName.Equals(name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(TenantStatus.Active, (await catalog.GetTenantAsync(first.TenantId, default))?.Status);
        Assert.Equal(first.TenantId, (await catalog.GetTenantUserAsync(first.TenantAdminUserName, default))?.TenantId);
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Registered tenant {first.TenantId} on tier Basic (sign-up)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUndoThatFailsIsReportedAndKeepsTheJournalForTheReconciler()
    {
        var real = app.Services.GetRequiredService<IUserDirectory>();
        var directory = PortHook.Wrap(real, (method, _, call) => method switch
        {
            nameof(IUserDirectory.CreateUserAsync) => throw new InvalidOperationException("The user could not be made."),
            nameof(IUserDirectory.DeleteGroupAsync) => throw new TimeoutException("The group could not be deleted."),
            _ => call(),
        });
        var compensation = ActivatorUtilities.CreateInstance<RegistrationCompensation>(app.Services, directory);
        var saga = ActivatorUtilities.CreateInstance<RegistrationSaga>(app.Services, directory, compensation);
        var name = "Half undone " + Guid.NewGuid().ToString("N")[..12];

        // The undo's own failure is what the caller hears: the registration is neither done nor undone.
        await Assert.ThrowsAsync<TimeoutException>(() => saga.RegisterAsync(Request(name)));

        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var journal = Assert.Single(await catalog.ListJournalsAsync(default), entry => entry.TenantName == name);
        Assert.Equal(new[] { RegistrationSteps.Tenant, RegistrationSteps.Database, RegistrationSteps.Group, RegistrationSteps.User }, journal.StepsStarted);

        // The reconciler of another instance finishes the undo with working ports.
        var reconciler = ActivatorUtilities.CreateInstance<RegistrationReconciler>(app.Services, new InstanceIdentity());
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Could not undo the registration of tenant {journal.TenantId}; the reconciler will retry", StringComparison.Ordinal));
        Assert.True(await reconciler.ReconcileAsync(default) >= 1);
        await AssertNothingLeftAsync(journal.TenantId);
        Assert.Contains(app.Logs.Lines, line => line.Contains($"Undid abandoned registration of tenant {journal.TenantId}", StringComparison.Ordinal));
    }

    private static NewTenant Request(string name) => new(name, "saga@example.com", null, null, "Basic");

    private static async Task<TenantUpdateResult> DeleteThenAsync(ITenantCatalog catalog, string tenantId, Func<object?> call)
    {
        await catalog.DeleteTenantAsync(tenantId, default);
        return await (Task<TenantUpdateResult>)call()!;
    }

    private static string TenantIdIn(string message) =>
        message.Split(' ').Single(word => word.Length > 0 && TenantIds.IsValid(word));

    private async Task AssertNothingLeftAsync(string tenantId)
    {
        var catalog = app.Services.GetRequiredService<ITenantCatalog>();
        var directory = app.Services.GetRequiredService<IUserDirectory>();
        var admin = RegistrationSteps.TenantAdminUserName(tenantId);
        Assert.Null(await catalog.GetTenantAsync(tenantId, default));
        Assert.DoesNotContain(await catalog.ListJournalsAsync(default), journal => journal.TenantId == tenantId);
        Assert.Null(await catalog.GetTenantUserAsync(admin, default));
        Assert.Null(await directory.GetUserAsync(UserPool.Tenant, admin, default));
        await Assert.ThrowsAsync<DirectoryException>(() => directory.ListUsersInGroupAsync(UserPool.Tenant, tenantId, 10, null, default));
        Assert.Empty(Directory.GetFiles(app.DataDirectory, $"tenant_{tenantId}*"));
    }
}
