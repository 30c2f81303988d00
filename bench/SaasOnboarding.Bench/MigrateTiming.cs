using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Bench;

/// <summary>
/// How long the app's <c>migrate</c> command takes to upgrade every embedded tenant by one migration: each tenant
/// file is set back by the latest migration (its index dropped, its version lowered), then <c>migrate</c> runs as
/// its own process on the same data directory and is timed from start to exit.
/// </summary>
internal static class MigrateTiming
{
    /// <summary>What the latest tenant migration (0003_audit_log.sql) adds, and the version before it.</summary>
    private const string SetBack = "DROP TABLE IF EXISTS audit_entry; PRAGMA user_version = 2;";

    public static async Task<(int Tenants, double Seconds, string Summary)> RunAsync(string appHost, string dataDirectory, IEnumerable<string> settings)
    {
        var files = Directory.GetFiles(dataDirectory, "tenant_*.db");
        foreach (var file in files)
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = SetBack;
            await command.ExecuteNonQueryAsync();
        }

        var start = new ProcessStartInfo(appHost)
        {
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("migrate");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var text = await output + await errors;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"migrate exited with {process.ExitCode}:\n{text}");
        }

        var summary = text.Split('\n').LastOrDefault(line => line.Contains(" checked in ", StringComparison.Ordinal))?.Trim() ?? string.Empty;
        if (!summary.Contains($": {files.Length} upgraded,", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"migrate did not upgrade the {files.Length} tenant files set back:\n{text}");
        }

        return (files.Length, seconds, summary);
    }
}
