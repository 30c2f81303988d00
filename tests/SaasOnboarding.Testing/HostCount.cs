using System.Reflection;

namespace SaasOnboarding.Testing;

/// <summary>
/// Counts the apps a test process starts: in-process hosts (<see cref="AppFactory"/>) and child processes of the app
/// (<see cref="ChildApp"/>). After each start it writes the counts so far to
/// <c>artifacts/test-results/hosts-&lt;test assembly&gt;.txt</c>, which <c>scripts/test.sh</c> adds up at the end of a run.
/// </summary>
public static class HostCount
{
    private static readonly Lock Gate = new();
    private static int _inProcess;
    private static int _children;

    public static void InProcessStarted() => Write(ref _inProcess);

    public static void ChildStarted() => Write(ref _children);

    private static void Write(ref int counter)
    {
        lock (Gate)
        {
            counter++;
            var assembly = AppDomain.CurrentDomain.GetAssemblies()
                .Select(loaded => loaded.GetName().Name)
                .FirstOrDefault(name => name is not null && name.StartsWith("SaasOnboarding.", StringComparison.Ordinal) && name.EndsWith(".Tests", StringComparison.Ordinal))
                ?? Assembly.GetEntryAssembly()?.GetName().Name ?? "tests";
            string directory;
            try
            {
                directory = Path.Combine(TestFigures.RepositoryRoot(), "artifacts", "test-results");
            }
            catch (InvalidOperationException)
            {
                // Tests run outside the repository count nothing.
                return;
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, $"hosts-{assembly}.txt"), $"{_inProcess} {_children}\n");
        }
    }
}
