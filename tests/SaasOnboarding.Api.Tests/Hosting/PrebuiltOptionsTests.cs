using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>
/// The settings the app reads from its start to its first answers are built by code (<c>Hosting/PrebuiltOptions.cs</c>,
/// or <c>AddCheckedOptions</c>). A type left out of that list still works, through the open generic registrations,
/// at a cost to every cold start that no other test would show.
/// </summary>
public sealed class PrebuiltOptionsTests : IDisposable
{
    /// <summary>Settings types the app cannot name (the framework's internal ones), and the test server's own (the app's Kestrel settings are in the list).</summary>
    private static readonly string[] Unnameable =
    [
        "Microsoft.AspNetCore.Hosting.GenericWebHostServiceOptions",
        "Microsoft.Extensions.DependencyInjection.MetricsServiceExtensions+NoOpOptions",
        "Microsoft.Extensions.Options.StartupValidatorOptions",
        "Microsoft.AspNetCore.TestHost.TestServerOptions",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("saas-prebuilt-").FullName;

    [Fact]
    public async Task NoSettingsOnTheWayToAStartedAppsFirstAnswersComeFromTheOpenGenericRegistrations()
    {
        OnboardedTenant tenant;
        using (var before = new AppFactory(_directory) { EnvironmentName = "Production" })
        {
            tenant = await before.OnboardAsync();
        }

        // A new start on that data: its first /health, then the tenant's first read, as on a fresh Lambda instance.
        var openlyBuilt = new ConcurrentDictionary<Type, bool>();
        using var app = new AppFactory(_directory, null, services =>
        {
            services.RemoveAll(typeof(IOptionsFactory<>));
            services.AddSingleton(openlyBuilt);
            services.AddTransient(typeof(IOptionsFactory<>), typeof(TrackedFactory<>));
        })
        {
            EnvironmentName = "Production",
        };
        using var anonymous = app.CreateClient();
        await (await anonymous.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
        using var admin = app.Client(tenant.AdminTokens.IdToken);
        await (await admin.GetAsync("/products")).ShouldBe(HttpStatusCode.OK);

        Assert.Contains(typeof(Microsoft.AspNetCore.TestHost.TestServerOptions), openlyBuilt.Keys);
        Assert.Empty(openlyBuilt.Keys.Select(type => type.FullName).Except(Unnameable));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The framework's factory, noting each settings type it is made for (the container makes one when it first builds that type's options services).</summary>
    private sealed class TrackedFactory<TOptions>(
        IEnumerable<IConfigureOptions<TOptions>> setups,
        IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
        IEnumerable<IValidateOptions<TOptions>> validations,
        ConcurrentDictionary<Type, bool> openlyBuilt) : OptionsFactory<TOptions>(setups, postConfigures, validations)
        where TOptions : class
    {
        private readonly bool _noted = openlyBuilt.TryAdd(typeof(TOptions), true);
    }
}
