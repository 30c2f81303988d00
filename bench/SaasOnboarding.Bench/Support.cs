using System.Globalization;
using System.Text.Json;

namespace SaasOnboarding.Bench;

internal sealed record BenchMode(
    string Name, int SmallTenants, int LargeTenants, int ActiveTenants, int ProductsPerTenant, int Samples,
    int ColdStarts, int Connections, TimeSpan WrkDuration, int WrkRounds)
{
    public static readonly BenchMode Quick = new("quick", 10, 1_000, 100, 5, 15, 5, 16, TimeSpan.FromSeconds(5), 2);

    public static readonly BenchMode Full = new("full", 10, 10_000, 1_000, 5, 25, 7, 16, TimeSpan.FromSeconds(10), 3);
}

/// <summary>
/// <see cref="AppHost"/> is the app published with Native AOT (what the Lambda package runs), <see cref="JitAppHost"/>
/// the same app published JIT ReadyToRun; the baselines are the bare template published the same two ways.
/// <see cref="Postgres"/> connects to the benchmark's PostgreSQL server, as a login role that may create roles.
/// </summary>
internal sealed record BenchOptions(
    BenchMode Mode, string AppHost, string JitAppHost, string BaselineHost, string AotBaselineHost, string Postgres,
    string WorkDirectory, string ResultsFile, string WrkScript, string Commit, string? Only, int? Rounds)
{
    /// <summary>The phases <c>--only</c> names (a comma-separated list); without it, every phase.</summary>
    public static readonly string[] Phases = ["cold", "export", "embedded", "tracing", "migrate", "postgres"];

    /// <summary>Meets the local identity provider's (Cognito's default) password policy.</summary>
    public const string AdminPassword = "Bench-Admin-Passw0rd!";

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"Missing {name}. Run bench/run.sh rather than this driver directly.");

        var mode = Required("--mode") switch
        {
            "quick" => BenchMode.Quick,
            "full" => BenchMode.Full,
            var other => throw new ArgumentException($"--mode is quick or full, not {other}."),
        };
        return new BenchOptions(
            mode, Required("--app"), Required("--jit-app"), Required("--baseline"), Required("--aot-baseline"), Required("--postgres"),
            Required("--work"), Required("--results"), Required("--wrk-script"), values.GetValueOrDefault("--commit", "unknown"), Only(values.GetValueOrDefault("--only")),
            values.TryGetValue("--rounds", out var rounds) ? int.Parse(rounds, CultureInfo.InvariantCulture) : null);

        static string? Only(string? phases) => phases is null || phases.Split(',').All(Phases.Contains)
            ? phases
            : throw new ArgumentException($"--only is a comma-separated list of {string.Join(", ", Phases)}, not {phases}.");
    }

    public bool Runs(string phase) => Only is null || Only.Split(',').Contains(phase);
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No samples.");
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

internal sealed record Figure(string Name, string How, double Value, string Comparison, double Goal, string From)
{
    public bool Met => Comparison == ">=" ? Value >= Goal : Value <= Goal;
}

internal sealed record Machine(int Cores, string Cpu, long MemoryMb, string Os)
{
    public static Machine Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))["MemTotal:".Length..].Trim().Split(' ')[0];
        return new Machine(Environment.ProcessorCount, cpu, long.Parse(memKb, CultureInfo.InvariantCulture) / 1024, System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }
}

internal sealed class Report(BenchMode mode, string commit, Machine machine, IReadOnlyList<Figure> figures, Dictionary<string, object> measurements)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly DateTimeOffset _date = DateTimeOffset.UtcNow;

    public void PrintTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Mode {mode.Name} ({mode.LargeTenants} tenants, {mode.ActiveTenants} active), commit {commit}, {_date:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"Machine: {machine.Cores} cores, {machine.Cpu}, {machine.MemoryMb} MB");
        output.WriteLine();
        output.WriteLine("| figure | how | measured | value | goal | met |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var figure in figures)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {figure.Name} | {figure.How} | {figure.From} | {figure.Value:0.00} | {(figure.Comparison == ">=" ? "≥" : "≤")} {figure.Goal} | {(figure.Met ? "yes" : "NO")} |"));
        }

        output.WriteLine();
    }

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new
        {
            date = _date,
            mode = mode.Name,
            settings = mode,
            commit,
            machine,
            figures = figures.Select(f => new { f.Name, f.How, f.From, value = Math.Round(f.Value, 3), f.Comparison, f.Goal, f.Met }),
            measurements,
        };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Json);
    }
}
