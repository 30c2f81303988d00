using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Testing;

public static class SagaFaults
{
    /// <summary>Every call the saga makes, in order, failing before and after it does its work.</summary>
    public static TheoryData<string, FaultTiming> Calls()
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
}
