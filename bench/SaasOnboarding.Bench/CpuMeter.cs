using System.Globalization;

namespace SaasOnboarding.Bench;

/// <summary>
/// CPU time per request of one wrk run, split between the app process, the PostgreSQL server (the postmaster and
/// every process it started), wrk (the driver's children reaped during the run), the driver itself (the OTLP
/// receiver of the tracing rounds runs in it) and the rest of the machine, from <c>/proc</c> before and after the
/// run. In microseconds per request.
/// </summary>
internal sealed record CpuPerRequest(double AppUs, double PostgresUs, double WrkUs, double DriverUs, double RestUs, int PostgresProcesses)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"CPU per request: app {AppUs:F0} µs, PostgreSQL {PostgresUs:F0} µs ({PostgresProcesses} processes), wrk {WrkUs:F0} µs, driver {DriverUs:F0} µs, rest {RestUs:F0} µs");
}

/// <summary>Reads the CPU times <see cref="CpuPerRequest"/> splits; <paramref name="postgresPort"/> names the server.</summary>
internal sealed class CpuMeter(int appPid, int? postgresPort)
{
    private static readonly double MicrosecondsPerTick = 1e6 / 100; // USER_HZ is 100 on Linux.

    public Snapshot Take()
    {
        var postgres = 0L;
        var processes = 0;
        var postmaster = postgresPort is { } port ? FindPostmaster(port) : null;
        if (postmaster is { } pid)
        {
            foreach (var (processId, parent, own, children) in AllProcesses())
            {
                if (processId == pid)
                {
                    postgres += own + children; // children: backends that have exited
                }
                else if (parent == pid)
                {
                    postgres += own;
                    processes++;
                }
            }
        }

        var self = Stat("self")!.Value;
        return new Snapshot(Stat(appPid.ToString(CultureInfo.InvariantCulture))?.Own ?? 0, postgres, processes, self.Children, self.Own, MachineBusy());
    }

    public static CpuPerRequest PerRequest(Snapshot before, Snapshot after, long requests)
    {
        double Us(long ticks) => ticks * MicrosecondsPerTick / Math.Max(1, requests);
        var app = after.App - before.App;
        var postgres = after.Postgres - before.Postgres;
        var wrk = after.Children - before.Children;
        var driver = after.Driver - before.Driver;
        var rest = after.Machine - before.Machine - app - postgres - wrk - driver;
        return new CpuPerRequest(Us(app), Us(postgres), Us(wrk), Us(driver), Us(Math.Max(0, rest)), after.PostgresProcesses);
    }

    internal readonly record struct Snapshot(long App, long Postgres, int PostgresProcesses, long Children, long Driver, long Machine);

    /// <summary>The server started with <c>-p port</c> (scripts/services/postgres.sh).</summary>
    private static int? FindPostmaster(int port)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var argv = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (argv.Length > 2 && argv[0].EndsWith("/postgres", StringComparison.Ordinal) &&
                    argv.Zip(argv.Skip(1)).Any(pair => pair.First == "-p" && pair.Second == port.ToString(CultureInfo.InvariantCulture)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    private static IEnumerable<(int Pid, int Parent, long Own, long Children)> AllProcesses()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid.ToString(CultureInfo.InvariantCulture)) is { } stat)
            {
                yield return (pid, stat.Parent, stat.Own, stat.Children);
            }
        }
    }

    /// <summary>Fields of <c>/proc/[pid]/stat</c> after the command name: ppid, utime + stime, cutime + cstime.</summary>
    private static (int Parent, long Own, long Children)? Stat(string pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }

    /// <summary>Busy ticks of the whole machine: every state of <c>/proc/stat</c>'s first line but idle and iowait.</summary>
    private static long MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
    }
}
