using System.Text.RegularExpressions;
using SaasOnboarding.Testing;

namespace SaasOnboarding.Stores.Tests.Postgres;

/// <summary>
/// Pooled connections go back to the pool without a reset (docs/storage-postgres.md, "Pooled connections"), which is
/// safe only while no statement of the app leaves state in the session. This reads every source file that talks to
/// PostgreSQL and refuses the statements that would: a new one needs a connection of its own, outside the pool.
/// </summary>
public sealed partial class PostgresSessionStateTests
{
    [Fact]
    public void NoStatementOfTheAppLeavesStateInAPooledSession()
    {
        var root = TestFigures.RepositoryRoot();
        var app = Path.Combine(root, "src", "SaasOnboarding.Api");
        var files = Directory.EnumerateFiles(Path.Combine(app, "Storage", "Postgres"), "*.sql", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(app, "*.cs", SearchOption.AllDirectories)
                .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Where(file => File.ReadAllText(file).Contains("Npgsql", StringComparison.Ordinal)))
            .ToList();

        var found = files
            .SelectMany(file => SessionState(File.ReadAllText(file)).Select(statement => $"{Path.GetRelativePath(root, file)}: {statement}"))
            .ToList();

        Assert.Contains(files, file => file.EndsWith("PostgresTenantDatabase.cs", StringComparison.Ordinal));
        Assert.Empty(found);
    }

    [Theory]
    [InlineData("\"SET ROLE tenant_x\"")]
    [InlineData("\"SET search_path = tenant_x\"")]
    [InlineData("\"SELECT 1; SET statement_timeout TO 5\"")]
    [InlineData("\"SELECT set_config('search_path', @path, false)\"")]
    [InlineData("\"LISTEN tenant_changes\"")]
    [InlineData("\"SELECT pg_advisory_lock(1)\"")]
    [InlineData("\"CREATE TEMP TABLE scratch (id int)\"")]
    [InlineData("\"DECLARE c CURSOR WITH HOLD FOR SELECT 1\"")]
    public void TheScanFindsEachKindOfSessionState(string statement) => Assert.NotEmpty(SessionState(statement));

    [Theory]
    [InlineData("\"SET LOCAL ROLE tenant_x; SET LOCAL search_path = tenant_x, pg_temp;\"")]
    [InlineData("\"SELECT set_config('role', @role, true), set_config('search_path', @path, true)\"")]
    [InlineData("\"UPDATE product SET quantity = @quantity WHERE id = @id\"")]
    [InlineData("\"SELECT pg_advisory_xact_lock(1)\"")]
    public void TheScanLetsTransactionScopedStatementsBe(string statement) => Assert.Empty(SessionState(statement));

    private static IEnumerable<string> SessionState(string text) =>
        SessionStatePattern().Matches(text).Select(match => match.Value.Trim());

    [GeneratedRegex("""(?:^|[;"])\s*SET\s+(?!LOCAL\b)(?:ROLE|SESSION|search_path|[a-z_.]+\s*(?:=|\bTO\b))|set_config\s*\([^)]*,\s*false\s*\)|\bLISTEN\s|\bpg_(?:try_)?advisory_lock\b|CREATE\s+TEMP(?:ORARY)?\s+TABLE|WITH\s+HOLD""", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex SessionStatePattern();
}
