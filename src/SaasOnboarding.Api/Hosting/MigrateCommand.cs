using System.Diagnostics;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// <c>dotnet run --project src/SaasOnboarding.Api -- migrate</c>: brings the catalog, the local identity store (when
/// it is the identity provider) and every tenant's child database to the latest schema version, with the app's
/// settings, and reports progress on the way. The app does the same lazily (the catalog and local-idp.db before it
/// serves, each tenant database before its first use); this does it up front (docs/schema-changes.md).
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    /// <summary>Tenant databases upgraded at once (each is its own file, schema or child database).</summary>
    private const int Parallelism = 4;

    private static readonly TimeSpan DefaultProgressEvery = TimeSpan.FromSeconds(2);

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>The arguments for the host: the command's name taken off.</summary>
    public static string[] HostArguments(string[] args) => IsRequested(args) ? args[1..] : args;

    /// <summary>
    /// Runs the command; 0 when every database is at the latest version, 1 otherwise (the failures are reported).
    /// A progress line goes out every <paramref name="progressEvery"/> (two seconds unless given).
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken, TimeSpan? progressEvery = null)
    {
        try
        {
            var catalog = await services.GetRequiredService<ITenantCatalog>().InitializeAsync(cancellationToken);
            await output.WriteLineAsync($"catalog: {Describe(catalog)}");
            if (services.GetService<LocalIdentityDatabase>() is { } identity)
            {
                await output.WriteLineAsync($"local identity store: {Describe(await identity.InitializeAsync(cancellationToken))}");
            }

            return await UpgradeTenantsAsync(services, output, progressEvery ?? DefaultProgressEvery, cancellationToken) ? 0 : 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await output.WriteLineAsync($"migrate failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<bool> UpgradeTenantsAsync(IServiceProvider services, TextWriter output, TimeSpan progressEvery, CancellationToken cancellationToken)
    {
        var catalog = services.GetRequiredService<ITenantCatalog>();
        var databases = services.GetRequiredService<ITenantDatabases>();
        var tenantIds = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await catalog.ListTenantsAsync(100, nextToken, null, null, cancellationToken);
            tenantIds.AddRange(page.Items.Select(tenant => tenant.Id));
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        await output.WriteLineAsync($"tenant databases: {tenantIds.Count} to check");
        int done = 0, upgraded = 0, current = 0, missing = 0, failed = 0, latest = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var report = new Lock();
        await Parallel.ForEachAsync(
            tenantIds,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (tenantId, token) =>
            {
                string? failure = null;
                try
                {
                    if (await databases.UpgradeAsync(tenantId, token) is { } upgrade)
                    {
                        Interlocked.Increment(ref upgrade.Changed ? ref upgraded : ref current);
                        InterlockedMax(ref latest, upgrade.To);
                    }
                    else
                    {
                        Interlocked.Increment(ref missing);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    failure = $"tenant {tenantId}: failed: {e.Message}";
                }

                var count = Interlocked.Increment(ref done);
                lock (report)
                {
                    if (failure is not null)
                    {
                        output.WriteLine(failure);
                    }

                    if (clock.Elapsed - lastReport >= progressEvery)
                    {
                        lastReport = clock.Elapsed;
                        output.WriteLine(
                            $"tenant databases: {count} of {tenantIds.Count} checked ({Volatile.Read(ref upgraded)} upgraded, {Volatile.Read(ref failed)} failed) after {clock.Elapsed.TotalSeconds:0} s");
                    }
                }
            });

        await output.WriteLineAsync(
            $"tenant databases: {tenantIds.Count} checked in {clock.Elapsed.TotalSeconds:0.0} s: {upgraded} upgraded, {current} already at the latest version, "
            + $"{missing} without a child database, {failed} failed" + (latest > 0 ? $"; the latest version is {latest}" : string.Empty));
        return failed == 0;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var before && before != seen)
        {
            seen = before;
        }
    }

    private static string Describe(SchemaUpgrade upgrade) => upgrade switch
    {
        { Changed: false } => $"at version {upgrade.To}, the latest",
        { From: 0 } => $"created at version {upgrade.To}",
        _ => $"upgraded from version {upgrade.From} to {upgrade.To}",
    };
}
