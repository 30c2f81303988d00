using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>
/// What the app does at start: only its own work (schema, identity seed), in order, while the web host starts; no
/// request is served before that work is done, and its failure fails the start. The periodic passes start after the
/// server has started, and after a delay.
/// </summary>
public sealed class StartupWorkTests
{
    [Fact]
    public async Task StartUpRunsTheAppsOwnWorkInOrder()
    {
        await using var app = new EmbeddedApp();
        using var client = app.CreateClient();
        Assert.True((await client.GetAsync("/health")).IsSuccessStatusCode);

        var hostedServices = app.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();
        Assert.Contains(nameof(StartupWork), hostedServices);
        var steps = app.Services.GetServices<StartupWork.Step>().Select(step => step.Resolve(app.Services).GetType().Name);
        Assert.Equal(["StorageInitializer", "LocalIdentitySeeder"], steps);
        Assert.Contains(nameof(BackgroundPasses), hostedServices);
        var passes = app.Services.GetServices<BackgroundPasses.Pass>().Select(pass => pass.Resolve(app.Services).GetType().Name);
        Assert.Equal(["RegistrationReconciler", "PurgeService", "AuditRetention", "WebhookDispatcher", "OutboxPruning"], passes);
    }

    [Fact]
    public async Task APeriodicPassIsNeitherBuiltNorStartedBeforeTheServerHasStartedAndItsDelayHasPassed()
    {
        var events = new List<string>();
        var builds = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[BackgroundPasses.DelaySetting] = "00:10:00";
        builder.Services.AddSingleton(_ =>
        {
            Interlocked.Increment(ref builds);
            return new Work("pass", events, released: true);
        }).AddBackgroundPass<Work>();
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");

        await app.StartAsync();
        using var client = app.GetTestServer().CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/"));
        await app.StopAsync();

        Assert.Equal(0, builds);
        Assert.Empty(events);
        Assert.True(app.Services.GetRequiredService<BackgroundPasses>().Started.IsCompleted);
    }

    [Fact]
    public void ANegativeDelayOfThePeriodicPassesStopsTheAppAtStartNamingTheSetting()
    {
        var message = StartupFailures.MessageOf(() => new AppFactory(null, new Dictionary<string, string?> { [BackgroundPasses.DelaySetting] = "-00:00:01" }));

        Assert.Contains(BackgroundPasses.DelaySetting, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeriodicPassesStartInOrderOnceTheServerHasStartedAndStopInReverse()
    {
        var events = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration[BackgroundPasses.DelaySetting] = "00:00:00";
        var first = new Work("first", events, released: true);
        var second = new OtherWork("second", events);
        builder.Services.AddSingleton(first).AddBackgroundPass<Work>().AddSingleton(second).AddBackgroundPass<OtherWork>();
        await using var app = builder.Build();
        // Read when each pass starts: the server's start callbacks run in no order this test may rely on.
        first.ServerStarted = second.ServerStarted = () => app.Lifetime.ApplicationStarted.IsCancellationRequested;

        await app.StartAsync();
        await app.Services.GetRequiredService<BackgroundPasses>().Started.WaitAsync(TimeSpan.FromSeconds(30));
        await app.StopAsync();

        Assert.Equal(["first started after the server", "second started after the server", "second stopped", "first stopped"], events);
    }

    [Fact]
    public async Task SettingsFilesAreReadOnceAndNotWatchedForChanges()
    {
        await using var app = new EmbeddedApp();
        using var client = app.CreateClient();
        Assert.True((await client.GetAsync("/health")).IsSuccessStatusCode);

        var files = ((IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>()).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, file => file.Source.Path == "appsettings.json");
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, file.Source.Path));
    }

    [Fact]
    public async Task ABranchIsBuiltByTheFirstRequestThatTakesItNotAtStart()
    {
        var builds = 0;
        await using var app = SmallApp(_ => { });
        app.UseWhenFirstNeeded(
            context => context.Request.Path.StartsWithSegments("/branch"),
            branch =>
            {
                Interlocked.Increment(ref builds);
                branch.Use((context, next) =>
                {
                    context.Response.Headers["X-Branch"] = "taken";
                    return next(context);
                });
            });
        app.MapGet("/{**path}", (string? path) => $"served {path}");
        await app.StartAsync();
        using var client = app.GetTestServer().CreateClient();

        using var other = await client.GetAsync("/other");
        Assert.Equal(0, builds);
        Assert.False(other.Headers.Contains("X-Branch"));
        Assert.Equal("served other", await other.Content.ReadAsStringAsync());

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var taken = await client.GetAsync("/branch/page");
            Assert.Equal("taken", Assert.Single(taken.Headers.GetValues("X-Branch")));
            Assert.Equal("served branch/page", await taken.Content.ReadAsStringAsync());
        }));
        Assert.Equal(1, builds);
    }

    [Fact]
    public async Task ARequestThatArrivesWhileTheWorkRunsWaitsForIt()
    {
        var events = new List<string>();
        await using var app = SmallApp(services => services.AddSingleton(new Work("slow", events)).AddStartupWork<Work>());
        app.MapGet("/", () =>
        {
            lock (events)
            {
                events.Add("request served");
            }

            return "ok";
        });
        var work = app.Services.GetRequiredService<Work>();

        var starting = app.StartAsync();
        await work.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var client = app.GetTestServer().CreateClient();
        var request = client.GetStringAsync("/");
        // Without the gate the request is served at once; give it the chance before the work ends.
        await Task.WhenAny(request, Task.Delay(TimeSpan.FromMilliseconds(300)));
        work.Release.SetResult();
        Assert.Equal("ok", await request);
        await starting;

        Assert.Equal(["slow started", "request served"], events);
    }

    [Fact]
    public async Task AFailingStepFailsTheStartWithItsOwnErrorAndStopsTheStepsBeforeIt()
    {
        var events = new List<string>();
        await using var app = SmallApp(services => services
            .AddSingleton(new Work("first", events, released: true)).AddStartupWork<Work>()
            .AddSingleton(new FailingWork()).AddStartupWork<FailingWork>()
            .AddSingleton(new OtherWork("after", events)).AddStartupWork<OtherWork>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Equal(FailingWork.Message, error.Message);
        await app.StopAsync();

        Assert.Equal(["first started", "first stopped"], events);
    }

    [Fact]
    public async Task StepsStartInOrderAndStopInReverse()
    {
        var events = new List<string>();
        await using var app = SmallApp(services => services
            .AddSingleton(new Work("first", events, released: true)).AddStartupWork<Work>()
            .AddSingleton(new OtherWork("second", events)).AddStartupWork<OtherWork>());

        await app.StartAsync();
        await app.StopAsync();

        Assert.Equal(["first started", "second started", "second stopped", "first stopped"], events);
    }

    private static WebApplication SmallApp(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        configure(builder.Services);
        var app = builder.Build();
        app.UseStartupGate();
        return app;
    }

    private class Work(string name, List<string> events, bool released = false) : IHostedService
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When set, the start's entry also says whether the server had started by then.</summary>
        public Func<bool>? ServerStarted { get; set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            Entered.SetResult();
            if (!released)
            {
                await Release.Task;
            }

            Record(ServerStarted is null ? $"{name} started" : $"{name} started {(ServerStarted() ? "after" : "before")} the server");
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Record($"{name} stopped");
            return Task.CompletedTask;
        }

        private void Record(string what)
        {
            lock (events)
            {
                events.Add(what);
            }
        }
    }

    private sealed class OtherWork(string name, List<string> events) : Work(name, events, released: true);

    private sealed class FailingWork : IHostedService
    {
        public const string Message = "The schema could not be created.";

        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
