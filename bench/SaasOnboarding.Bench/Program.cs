using System.Diagnostics;
using System.Globalization;
using SaasOnboarding.Bench;
using SaasOnboarding.Testing;

// The benchmark driver behind bench/run.sh. Every goal figure is a ratio of two measurements taken in this run on
// this machine (absolute times on shared machines are noise), except peak RSS, which is an absolute bound.
var options = BenchOptions.Parse(args);
var mode = options.Mode;
var rounds = options.Rounds ?? mode.WrkRounds;
Directory.CreateDirectory(options.WorkDirectory);
using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = TimeSpan.FromMinutes(2) };
var measurements = new Dictionary<string, object>();

// 1. Cold start, before anything else loads the machine: alternate the app and the bare template, each published
//    with Native AOT and JIT ReadyToRun, so that noise from other work hits all alike. One untimed start each first
//    fills the page cache (and seeds the app's admin). The AOT app's resident memory is read once it has answered.
Console.WriteLine($"== cold start ({mode.ColdStarts} starts each)");
var coldData = Path.Combine(options.WorkDirectory, "cold-data");
var appStarts = new List<double>();
var appRss = new List<double>();
var jitAppStarts = new List<double>();
var baselineStarts = new List<double>();
var aotBaselineStarts = new List<double>();
for (var i = -1; i < (options.Runs("cold") ? mode.ColdStarts : -1); i++)
{
    var app = await ColdStartAsync(options.AppHost, "/health", port => AppArguments(coldData, port));
    var jitApp = await ColdStartAsync(options.JitAppHost, "/health", port => AppArguments(coldData, port));
    var bare = await ColdStartAsync(options.BaselineHost, "/", _ => ["--Logging:LogLevel:Default=Warning"]);
    var bareAot = await ColdStartAsync(options.AotBaselineHost, "/", _ => ["--Logging:LogLevel:Default=Warning"]);
    if (i >= 0)
    {
        appStarts.Add(app.Milliseconds);
        appRss.Add(app.RssBytes / 1048576.0);
        jitAppStarts.Add(jitApp.Milliseconds);
        baselineStarts.Add(bare.Milliseconds);
        aotBaselineStarts.Add(bareAot.Milliseconds);
    }
}

Console.WriteLine(appStarts.Count == 0
    ? "   skipped"
    : $"   app AOT {Stats.Median(appStarts):F0} ms ({Stats.Median(appRss):F0} MB), app JIT {Stats.Median(jitAppStarts):F0} ms, " +
      $"bare web app JIT {Stats.Median(baselineStarts):F0} ms, AOT {Stats.Median(aotBaselineStarts):F0} ms (medians)");
measurements["coldStartAppMs"] = appStarts;
measurements["coldStartAppRssMb"] = appRss;
measurements["coldStartJitAppMs"] = jitAppStarts;
measurements["coldStartBaselineMs"] = baselineStarts;
measurements["coldStartAotBaselineMs"] = aotBaselineStarts;

// 2. Export: an app of its own streams a 10,000-product tenant; its peak memory ÷ the same app idle.
ExportMemory.Result? export = null;
if (options.Runs("export"))
{
    Console.WriteLine($"== export: {ExportMemory.Products} products, {ExportMemory.Orders} orders");
    export = await ExportMemory.RunAsync(options.AppHost, options.WorkDirectory, AppArguments, http);
    Console.WriteLine($"   {export.Lines} lines, {export.Bytes / 1048576.0:F1} MiB in {export.Seconds:F1} s; RSS peak during the export {export.PeakRssMb:F0} MB ÷ idle {export.IdleRssMb:F0} MB = {export.PeakRssMb / export.IdleRssMb:F2}");
    measurements["exportIdleRssMb"] = export.IdleRssMb;
    measurements["exportPeakRssMb"] = export.PeakRssMb;
    measurements["exportBytes"] = export.Bytes;
    measurements["exportSeconds"] = export.Seconds;
}

if (!options.Runs("embedded") && !options.Runs("tracing") && !options.Runs("migrate") && !options.Runs("postgres"))
{
    return 0;
}

// 3. One long-running instance of the AOT app with its own data directory and the benchmark's rate limits.
var data = Path.Combine(options.WorkDirectory, "data");
await using var server = AppProcess.Start(options.AppHost, Path.Combine(options.WorkDirectory, "app.log"), port => AppArguments(data, port));
await server.WaitUntilOkAsync(http, "/health", TimeSpan.FromMinutes(1));
using var apiClient = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
var api = new BenchApi(apiClient, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
var tenants = new List<SeededTenant>();

Console.WriteLine($"== seeding {mode.SmallTenants} tenants");
// The seeding doubles as the warm-up (caches, pools): a sign-in after each registration, none timed.
while (tenants.Count < mode.SmallTenants)
{
    tenants.Add((await api.RegisterAsync()).Tenant);
    await api.SignInAsync("admin", BenchOptions.AdminPassword);
}

var (smallRegistration, smallSignIn) = await SampleRegistrationAndSignInAsync(api, tenants, options.Only is null ? mode.Samples : 0);
Console.WriteLine(smallRegistration.Count == 0 ? "   not sampled" : $"   with {mode.SmallTenants} tenants: registration {Stats.Median(smallRegistration):F1} ms, sign-in {Stats.Median(smallSignIn):F1} ms (medians)");

Console.WriteLine($"== seeding up to {mode.LargeTenants} tenants ({Environment.ProcessorCount} at a time)");
var seedClock = Stopwatch.StartNew();
// --only (a development aid, never the published table) skips the long seeding.
var toSeed = options.Only is null ? mode.LargeTenants - api.Registered : mode.ActiveTenants - api.Registered;
var seeded = new SeededTenant[Math.Max(0, toSeed)];
var done = 0;
await Parallel.ForAsync(0, seeded.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, _) =>
{
    seeded[i] = (await api.RegisterAsync()).Tenant;
    if (Interlocked.Increment(ref done) % 500 == 0)
    {
        Console.WriteLine($"   {api.Registered} tenants, {seedClock.Elapsed.TotalSeconds:F0} s");
    }
});
tenants.AddRange(seeded);
Console.WriteLine($"   {api.Registered} tenants registered in {seedClock.Elapsed.TotalSeconds:F0} s");
measurements["seedSeconds"] = seedClock.Elapsed.TotalSeconds;

var (largeRegistration, largeSignIn) = await SampleRegistrationAndSignInAsync(api, tenants, options.Only is null ? mode.Samples : 0);
if (largeRegistration.Count > 0)
{
    Console.WriteLine($"   with {mode.LargeTenants} tenants: registration {Stats.Median(largeRegistration):F1} ms, sign-in {Stats.Median(largeSignIn):F1} ms (medians)");
}

// 4. Reads. Each active tenant gets a few products; tokens are minted with the app's own key (see LocalTokenMinter,
// shared with the tests): signing in 1,000 admins would cost password hashes and measure nothing the reads are about.
Console.WriteLine($"== reads: {mode.ActiveTenants} active tenants of {api.Registered}");
var (health, one, spread) = await ReadsAsync(server, api, apiClient, data, tenants.Take(mode.ActiveTenants).ToList(), "embedded", options.Runs("embedded") ? rounds : 0, null);

// The best round of each kind: interference from other work on a shared machine only ever slows a round down.
var bestHealth = health.MaxBy(r => r.RequestsPerSecond);
var bestOne = one.MaxBy(r => r.RequestsPerSecond);
var bestSpread = spread.MaxBy(r => r.RequestsPerSecond);
if (bestHealth is not null && bestOne is not null)
{
    Console.WriteLine($"   best rounds: /products 1 tenant {bestOne.RequestsPerSecond:F0} ÷ /health {bestHealth.RequestsPerSecond:F0} req/s = {bestOne.RequestsPerSecond / bestHealth.RequestsPerSecond:F2}");
}

var peakRss = server.PeakRssBytes();

var tracingOff = new List<WrkResult>();
var tracingOn = new List<WrkResult>();
if (options.Runs("tracing"))
{
    Console.WriteLine("== tracing: /products (1 tenant) with the OpenTelemetry SDK exporting over OTLP ÷ without");
    long exports;
    (tracingOff, tracingOn, exports) = await TracingRatio.RunAsync(server, options.AppHost, data, options.WorkDirectory, port => AppArguments(data, port), tenants[0],
        new Wrk(options.WrkScript, threads: 2, connections: mode.Connections, duration: mode.WrkDuration), rounds, http);
    Console.WriteLine($"   best rounds: on {tracingOn.Max(r => r.RequestsPerSecond):F0} ÷ off {tracingOff.Max(r => r.RequestsPerSecond):F0} req/s = {tracingOn.Max(r => r.RequestsPerSecond) / tracingOff.Max(r => r.RequestsPerSecond):F2} ({exports} OTLP exports)");
}

measurements["wrkProductsTracingOff"] = tracingOff;
measurements["wrkProductsTracingOn"] = tracingOn;
measurements["wrkHealth"] = health;
measurements["wrkProductsOneTenant"] = one;
measurements["wrkProductsSpread"] = spread;
measurements["registrationSmallMs"] = smallRegistration;
measurements["signInSmallMs"] = smallSignIn;
measurements["registrationLargeMs"] = largeRegistration;
measurements["signInLargeMs"] = largeSignIn;

// 5. Schema upgrade: every tenant file set back by one migration, then the app's migrate command, timed.
if (options.Runs("migrate"))
{
    var migrateSettings = AppArguments(data, 0).Where(setting => !setting.StartsWith("--Identity:Local:IssuerBaseUrl", StringComparison.Ordinal)).ToList();
    var (upgradedTenants, migrateSeconds, migrateSummary) = await MigrateTiming.RunAsync(options.AppHost, data, migrateSettings);
    Console.WriteLine($"== schema upgrade: {upgradedTenants} tenant files by one migration in {migrateSeconds:F1} s (migrate, start to exit)");
    Console.WriteLine($"   {migrateSummary}");
    measurements["migrateTenants"] = upgradedTenants;
    measurements["migrateOneStepSeconds"] = migrateSeconds;
}

if (!options.Runs("postgres"))
{
    return 0;
}

// 6. The deployed store: registrations and reads again, on PostgreSQL, with as many tenants as are active above.
Console.WriteLine($"== PostgreSQL: {mode.ActiveTenants} tenants");
var pgData = Path.Combine(options.WorkDirectory, "pg-data");
await using var pgServer = AppProcess.Start(
    options.AppHost,
    Path.Combine(options.WorkDirectory, "app-postgres.log"),
    port => [.. AppArguments(pgData, port), "--Storage:Provider=Postgres", $"--Storage:Postgres:ConnectionString={options.Postgres}"]);
await pgServer.WaitUntilOkAsync(http, "/health", TimeSpan.FromMinutes(1));
using var pgClient = new HttpClient { BaseAddress = pgServer.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
var pgApi = new BenchApi(pgClient, "pg" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
var pgTenants = new List<SeededTenant>();
for (var i = 0; i < mode.SmallTenants; i++)
{
    pgTenants.Add((await pgApi.RegisterAsync()).Tenant);
    await pgApi.SignInAsync("admin", BenchOptions.AdminPassword);
}

var (pgRegistration, pgSignIn) = await SampleRegistrationAndSignInAsync(pgApi, pgTenants, mode.Samples);
Console.WriteLine($"   registration {Stats.Median(pgRegistration):F1} ms, sign-in {Stats.Median(pgSignIn):F1} ms (medians)");
var pgSeeded = new SeededTenant[Math.Max(0, mode.ActiveTenants - pgTenants.Count)];
await Parallel.ForAsync(0, pgSeeded.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, _) =>
    pgSeeded[i] = (await pgApi.RegisterAsync()).Tenant);
pgTenants.AddRange(pgSeeded);
var (pgHealth, pgOne, pgSpread) = await ReadsAsync(pgServer, pgApi, pgClient, pgData, pgTenants.Take(mode.ActiveTenants).ToList(), "PostgreSQL", rounds, PostgresPort(options.Postgres));
var pgBestHealth = pgHealth.MaxBy(r => r.RequestsPerSecond)!;
var pgBestOne = pgOne.MaxBy(r => r.RequestsPerSecond)!;
var pgBestSpread = pgSpread.MaxBy(r => r.RequestsPerSecond)!;
measurements["postgresRegistrationMs"] = pgRegistration;
measurements["postgresSignInMs"] = pgSignIn;
measurements["postgresWrkHealth"] = pgHealth;
measurements["postgresWrkProductsOneTenant"] = pgOne;
measurements["postgresWrkProductsSpread"] = pgSpread;
Console.WriteLine($"   best rounds: /products 1 tenant {pgBestOne.RequestsPerSecond:F0} ÷ /health {pgBestHealth.RequestsPerSecond:F0} req/s = {pgBestOne.RequestsPerSecond / pgBestHealth.RequestsPerSecond:F2}; p50 {mode.ActiveTenants} tenants ÷ 1 = {pgBestSpread.P50Ms / pgBestOne.P50Ms:F2}");

if (options.Only is not null)
{
    return 0;
}

// A full run has every phase, so every best round exists.
var (bestHealthRound, bestOneRound, bestSpreadRound) = (bestHealth!, bestOne!, bestSpread!);
var bestTracingOff = tracingOff.MaxBy(r => r.RequestsPerSecond)!;
var bestTracingOn = tracingOn.MaxBy(r => r.RequestsPerSecond)!;
var signIn = smallSignIn.Concat(largeSignIn).ToList();
var figures = new List<Figure>
{
    new("cold start (AOT)", "start to first 200 on /health, app with Native AOT ÷ bare `dotnet new web`, JIT ReadyToRun", Stats.Median(appStarts) / Stats.Median(baselineStarts), "<=", 0.3,
        $"{Stats.Median(appStarts):F0} ÷ {Stats.Median(baselineStarts):F0} ms"),
    new("cold start (AOT ÷ AOT)", "the same, ÷ the bare app published with Native AOT", Stats.Median(appStarts) / Stats.Median(aotBaselineStarts), "<=", 2.0,
        $"{Stats.Median(appStarts):F0} ÷ {Stats.Median(aotBaselineStarts):F0} ms"),
    new("cold start (JIT)", "the app published JIT ReadyToRun ÷ bare `dotnet new web`, JIT ReadyToRun", Stats.Median(jitAppStarts) / Stats.Median(baselineStarts), "<=", 1.3,
        $"{Stats.Median(jitAppStarts):F0} ÷ {Stats.Median(baselineStarts):F0} ms"),
    new("memory at start (AOT)", "RSS once it has answered /health", Stats.Median(appRss), "<=", 60,
        $"{Stats.Median(appRss):F0} MB"),
    new("tenant-scoped read throughput", "embedded: GET /products (1 tenant) req/s ÷ GET /health req/s", bestOneRound.RequestsPerSecond / bestHealthRound.RequestsPerSecond, ">=", 0.5,
        $"{bestOneRound.RequestsPerSecond:F0} ÷ {bestHealthRound.RequestsPerSecond:F0} req/s"),
    new("registration cost", "embedded: median POST /registration ÷ median POST /auth/signin", Stats.Median(smallRegistration.Concat(largeRegistration)) / Stats.Median(signIn), "<=", 1.5,
        $"{Stats.Median(smallRegistration.Concat(largeRegistration)):F1} ÷ {Stats.Median(signIn):F1} ms"),
    new("scaling: registration", $"embedded: median registration with {mode.LargeTenants} ÷ with {mode.SmallTenants} tenants", Stats.Median(largeRegistration) / Stats.Median(smallRegistration), "<=", 1.2,
        $"{Stats.Median(largeRegistration):F1} ÷ {Stats.Median(smallRegistration):F1} ms"),
    new("scaling: reads", $"embedded: p50 GET /products over {mode.ActiveTenants} tenants ÷ over 1 tenant", bestSpreadRound.P50Ms / bestOneRound.P50Ms, "<=", 1.2,
        $"{bestSpreadRound.P50Ms:F2} ÷ {bestOneRound.P50Ms:F2} ms"),
    new("memory", $"embedded: peak RSS, {api.Registered} tenants registered, {mode.ActiveTenants} active", peakRss / 1048576.0, "<=", 300,
        $"{peakRss / 1048576.0:F0} MB"),
    new("tracing overhead", "embedded: GET /products (1 tenant) req/s, traces and metrics exported over OTLP ÷ not", bestTracingOn.RequestsPerSecond / bestTracingOff.RequestsPerSecond, ">=", 0.9,
        $"{bestTracingOn.RequestsPerSecond:F0} ÷ {bestTracingOff.RequestsPerSecond:F0} req/s"),
    new("latency tail", "embedded: p99 ÷ p50 of GET /products (1 tenant) at the throughput above", bestOneRound.P99Ms / bestOneRound.P50Ms, "<=", 5,
        $"{bestOneRound.P99Ms:F2} ÷ {bestOneRound.P50Ms:F2} ms"),
    new("PostgreSQL: read throughput", "GET /products (1 tenant) req/s ÷ GET /health req/s", pgBestOne.RequestsPerSecond / pgBestHealth.RequestsPerSecond, ">=", 0.3,
        $"{pgBestOne.RequestsPerSecond:F0} ÷ {pgBestHealth.RequestsPerSecond:F0} req/s"),
    new("PostgreSQL: scaling reads", $"p50 GET /products over {mode.ActiveTenants} tenants ÷ over 1 tenant", pgBestSpread.P50Ms / pgBestOne.P50Ms, "<=", 1.3,
        $"{pgBestSpread.P50Ms:F2} ÷ {pgBestOne.P50Ms:F2} ms"),
    new("PostgreSQL: registration cost", "median POST /registration ÷ median POST /auth/signin", Stats.Median(pgRegistration) / Stats.Median(pgSignIn), "<=", 1.5,
        $"{Stats.Median(pgRegistration):F1} ÷ {Stats.Median(pgSignIn):F1} ms"),
    new("export memory", $"embedded: peak RSS while a {ExportMemory.Products:N0}-product tenant exports ÷ RSS of the same app idle", export!.PeakRssMb / export.IdleRssMb, "<=", 1.5,
        $"{export.PeakRssMb:F0} ÷ {export.IdleRssMb:F0} MB"),
};

var report = new Report(mode, options.Commit, Machine.Describe(), figures, measurements);
report.PrintTable(Console.Out);
await report.WriteJsonAsync(options.ResultsFile);
Console.WriteLine($"wrote {options.ResultsFile}");
return figures.All(f => f.Met) ? 0 : 3;

async Task<(double Milliseconds, long RssBytes)> ColdStartAsync(string host, string path, Func<int, IEnumerable<string>> arguments)
{
    var clock = Stopwatch.StartNew();
    await using var process = AppProcess.Start(host, Path.Combine(options.WorkDirectory, "cold-start.log"), arguments);
    await process.WaitUntilOkAsync(http, path, TimeSpan.FromMinutes(1));
    return (clock.Elapsed.TotalMilliseconds, process.RssBytes());
}

// Products for each active tenant, then wrk: /health, /products as one tenant, /products spread over all of them.
async Task<(List<WrkResult> Health, List<WrkResult> One, List<WrkResult> Spread)> ReadsAsync(
    AppProcess app, BenchApi appApi, HttpClient client, string dataDirectory, List<SeededTenant> active, string store, int roundCount, int? postgresPort)
{
    // The app makes the tenant pool's key file when the key is first used; asking for the pool's keys is such a use.
    (await client.GetAsync(new Uri("/local-idp/local_tenant/.well-known/jwks.json", UriKind.Relative))).EnsureSuccessStatusCode();
    using var minter = LocalTokenMinter.ForTenantPool(dataDirectory, app.BaseAddress.ToString());
    var tokens = active
        .Select(t => minter.IdToken(new MintedUser(t.AdminUserName, t.Email, t.TenantId, "TenantAdmin", [t.TenantId], Guid.NewGuid().ToString()), DateTimeOffset.UtcNow, TimeSpan.FromHours(1)))
        .ToList();
    await Parallel.ForAsync(0, tokens.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
    {
        for (var p = 0; p < mode.ProductsPerTenant; p++)
        {
            await appApi.CreateProductAsync(tokens[i], p);
        }
    });
    var spreadTokens = Path.Combine(options.WorkDirectory, $"tokens-spread-{store}.txt");
    var oneTokens = Path.Combine(options.WorkDirectory, $"tokens-one-{store}.txt");
    await File.WriteAllLinesAsync(spreadTokens, tokens);
    await File.WriteAllLinesAsync(oneTokens, [tokens[0]]);
    if (await appApi.GetStatusAsync("/products", tokens[0]) != System.Net.HttpStatusCode.OK)
    {
        throw new InvalidOperationException("A minted tenant token was refused by GET /products.");
    }

    var wrk = new Wrk(options.WrkScript, threads: 2, connections: mode.Connections, duration: mode.WrkDuration);
    if (roundCount == 0)
    {
        return ([], [], []);
    }

    await wrk.RunAsync(app.BaseAddress, "/products", spreadTokens); // warm-up: caches, pools, every tenant touched once
    var meter = new CpuMeter(app.ProcessId, postgresPort);
    var health = new List<WrkResult>();
    var one = new List<WrkResult>();
    var spread = new List<WrkResult>();
    for (var round = 0; round < roundCount; round++)
    {
        health.Add(await wrk.RunAsync(app.BaseAddress, "/health", null, meter));
        one.Add(await wrk.RunAsync(app.BaseAddress, "/products", oneTokens, meter));
        spread.Add(await wrk.RunAsync(app.BaseAddress, "/products", spreadTokens, meter));
        Console.WriteLine($"   {store} round {round + 1}: /health {health[^1].RequestsPerSecond:F0} req/s; /products 1 tenant {one[^1].RequestsPerSecond:F0} req/s p50 {one[^1].P50Ms:F2} ms p99 {one[^1].P99Ms:F2} ms; {active.Count} tenants {spread[^1].RequestsPerSecond:F0} req/s p50 {spread[^1].P50Ms:F2} ms");
        Console.WriteLine($"     /health {health[^1].Cpu}; /products 1 tenant {one[^1].Cpu}; {active.Count} tenants {spread[^1].Cpu}");
    }

    return (health, one, spread);
}

// Registration and sign-in alternate, so that noise from other work on the machine falls on both alike.
async Task<(List<double> Registration, List<double> SignIn)> SampleRegistrationAndSignInAsync(BenchApi appApi, List<SeededTenant> registered, int samples)
{
    var registration = new List<double>();
    var signIn = new List<double>();
    for (var i = 0; i < samples; i++)
    {
        var (tenant, elapsed) = await appApi.RegisterAsync();
        registered.Add(tenant);
        registration.Add(elapsed.TotalMilliseconds);
        signIn.Add((await appApi.SignInAsync("admin", BenchOptions.AdminPassword)).TotalMilliseconds);
    }

    return (registration, signIn);
}

// The port of the server the connection string names, whose processes the CPU breakdown sums.
static int? PostgresPort(string connectionString) =>
    System.Text.RegularExpressions.Regex.Match(connectionString, @"(?i)\bPort=(\d+)") is { Success: true } match
        ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
        : null;

IEnumerable<string> AppArguments(string dataDirectory, int port) =>
[
    $"--Storage:Embedded:DataDirectory={dataDirectory}",
    $"--Identity:Local:DataDirectory={dataDirectory}",
    $"--Identity:Local:IssuerBaseUrl=http://127.0.0.1:{port}",
    $"--Identity:Local:AdminPassword={BenchOptions.AdminPassword}",
    "--Logging:LogLevel:Default=Warning",
    // The benchmark's load would trip the production limits; it raises them through settings, never defaults.
    "--RateLimits:RegistrationPermits=1000000",
    "--RateLimits:AuthPermits=1000000",
    "--RateLimits:TenantPermits:Basic=1000000",
    "--RateLimits:TenantPermits:Standard=1000000",
    "--RateLimits:TenantPermits:Premium=1000000",
    "--RateLimits:TenantPermits:Platinum=1000000",
    "--RateLimits:ManagementCallerPermits=1000000",
    "--RateLimits:ManagementTenantPermits=1000000",
];
