using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasOnboarding.Api.Tests.Onboarding;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>What the app does before it listens: only its own work (schema, identity seed, reconciler pass).</summary>
public sealed class StartupWorkTests
{
    [Fact]
    public async Task Start_up_neither_loads_a_data_protection_key_ring_nor_warns_about_one()
    {
        await using var app = new EmbeddedApp();
        using var client = app.CreateClient();
        Assert.True((await client.GetAsync("/health")).IsSuccessStatusCode);

        var hostedServices = app.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();
        Assert.Contains("StorageInitializer", hostedServices);
        Assert.DoesNotContain("DataProtectionHostedService", hostedServices);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains("DataProtection", StringComparison.Ordinal));
    }
}
