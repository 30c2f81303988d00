namespace SaasOnboarding.Testing;

/// <summary>
/// Writes a figure a test established to artifacts/figures/&lt;name&gt;.json, from which
/// scripts/reliability-figures.sh builds the README's table. Figures come from a run, never from hand.
/// </summary>
public static class TestFigures
{
    public static void Write(string name, object figures)
    {
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "figures");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".json"), JsonSerializer.Serialize(figures));
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SaasOnboarding.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SaasOnboarding.sln not found above " + AppContext.BaseDirectory);
    }
}
