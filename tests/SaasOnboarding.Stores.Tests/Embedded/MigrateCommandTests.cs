using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Stores.Tests.Embedded;

/// <summary>
/// <c>SaasOnboarding.Api migrate</c>, run as a process on a data directory of 1,000 version-1 tenants with no version
/// recorded: it upgrades them all, reports what it did, and exits non-zero naming the tenant it could not
/// upgrade; run again, it finishes that one and leaves the rest as they are.
/// </summary>
public sealed class MigrateCommandTests : IDisposable
{
    private const int Tenants = 1000;
    private readonly string _directory = Directory.CreateTempSubdirectory("saas-migrate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task MigrateUpgradesEveryTenantAndReportsTheOneItCouldNot()
    {
        var tenantIds = Enumerable.Range(0, Tenants).Select(_ => TenantIds.New()).ToList();
        await OldDataDirectoryAsync(tenantIds);
        var broken = tenantIds[500];
        var brokenFile = Path.Combine(_directory, $"tenant_{broken}.db");
        await SqliteFiles.ExecuteAsync(brokenFile,
            "INSERT INTO product VALUES ('p3', 'Pen', NULL, 'pen-1', 1, 1, 0, '2026-01-04T00:00:00.000000Z', '2026-01-04T00:00:00.000000Z')");

        var (exitCode, output) = await MigrateAsync();

        Assert.True(exitCode == 1, output);
        Assert.Contains($"catalog: upgraded from version 1 to {SqliteTenantCatalog.Migrations.Latest}", output, StringComparison.Ordinal);
        Assert.Contains($"tenant {broken}: failed: Migration 0002_sku_unique_ignoring_case of tenant_{broken}.db failed", output, StringComparison.Ordinal);
        Assert.Contains($"tenant databases: {Tenants} checked", output, StringComparison.Ordinal);
        Assert.Contains($"{Tenants - 1} upgraded, 0 already at the latest version, 0 without a child database, 1 failed", output, StringComparison.Ordinal);
        foreach (var tenantId in tenantIds)
        {
            Assert.Equal(tenantId == broken ? 1 : SqliteTenantDatabases.Migrations.Latest, await SqliteFiles.UserVersionAsync(Path.Combine(_directory, $"tenant_{tenantId}.db")));
        }

        // The operator settles the clash; the next run finishes that tenant and changes nothing else.
        await SqliteFiles.ExecuteAsync(brokenFile, "UPDATE product SET sku = 'PEN-2' WHERE id = 'p3'");
        (exitCode, output) = await MigrateAsync();

        Assert.True(exitCode == 0, output);
        Assert.Contains($"1 upgraded, {Tenants - 1} already at the latest version, 0 without a child database, 0 failed; the latest version is {SqliteTenantDatabases.Migrations.Latest}", output, StringComparison.Ordinal);
        Assert.Equal(SqliteTenantDatabases.Migrations.Latest, await SqliteFiles.UserVersionAsync(brokenFile));
        Assert.Equal(2L, await SqliteFiles.ScalarAsync(Path.Combine(_directory, $"tenant_{tenantIds[0]}.db"), "SELECT count(*) FROM product"));
    }

    [Fact]
    public async Task MigrateFailsWithAMessageWhenTheCatalogCannotBeUpgraded()
    {
        await SqliteFiles.CreateAsync(Path.Combine(_directory, "catalog.db"), OldSchemas.SqliteCatalog + "PRAGMA user_version = 99;");

        var (exitCode, output) = await MigrateAsync();

        Assert.True(exitCode == 1, output);
        Assert.Contains("migrate failed: catalog.db is at schema version 99", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateReportsProgressAsItGoes()
    {
        var tenantIds = Enumerable.Range(0, 8).Select(_ => TenantIds.New()).ToList();
        await OldDataDirectoryAsync(tenantIds);
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<ITenantCatalog>(new SaasOnboarding.Api.Storage.Embedded.SqliteTenantCatalog(_directory))
            .AddSingleton<ITenantDatabases>(new SaasOnboarding.Api.Storage.Embedded.SqliteTenantDatabases(_directory))
            .BuildServiceProvider();
        using var output = new StringWriter();

        Assert.Equal(0, await SaasOnboarding.Api.Hosting.MigrateCommand.RunAsync(services, output, CancellationToken.None, progressEvery: TimeSpan.Zero));

        var lines = output.ToString().Split('\n');
        Assert.Equal("tenant databases: 8 to check", lines[1].TrimEnd());
        for (var count = 1; count <= 8; count++)
        {
            Assert.Contains(lines, line => line.StartsWith($"tenant databases: {count} of 8 checked (", StringComparison.Ordinal));
        }

        Assert.Contains(lines, line => line.StartsWith("tenant databases: 8 of 8 checked (8 upgraded, 0 failed)", StringComparison.Ordinal));
        ((IDisposable)services.GetRequiredService<ITenantDatabases>()).Dispose();
    }

    /// <summary>catalog.db with the tenants, and their files (each a copy of one old file with two products and an order).</summary>
    private async Task OldDataDirectoryAsync(IReadOnlyList<string> tenantIds)
    {
        var rows = new StringBuilder(OldSchemas.SqliteCatalog).Append("BEGIN;");
        foreach (var tenantId in tenantIds)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"INSERT INTO tenant VALUES ('{tenantId}', 'T {tenantId}', 't {tenantId}', 'a@t.test', NULL, NULL, 'Basic', 'Active', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');");
        }

        await SqliteFiles.CreateAsync(Path.Combine(_directory, "catalog.db"), rows.Append("COMMIT;").ToString());
        var template = Path.Combine(_directory, "template.db");
        await SqliteFiles.CreateAsync(template, OldSchemas.SqliteTenant + OldSchemas.SqliteTenantData + "PRAGMA wal_checkpoint(TRUNCATE);");
        SqliteConnection.ClearAllPools();
        foreach (var tenantId in tenantIds)
        {
            File.Copy(template, Path.Combine(_directory, $"tenant_{tenantId}.db"));
        }

        File.Delete(template);
    }

    private async Task<(int ExitCode, string Output)> MigrateAsync()
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "migrate"])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Storage__Embedded__DataDirectory"] = _directory;
        start.Environment["Identity__Local__DataDirectory"] = _directory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
