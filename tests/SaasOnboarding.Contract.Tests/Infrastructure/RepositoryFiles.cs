namespace SaasOnboarding.Contract.Tests.Infrastructure;

/// <summary>Files of the repository the contract tests read: the committed document, Redocly's configuration, the npm tools.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = TestFigures.RepositoryRoot();

    /// <summary>The OpenAPI document as committed; the generated client is built from it.</summary>
    public static string CommittedDocument => Path.Combine(Root, "docs", "openapi.json");

    public static string RedoclyConfiguration => Path.Combine(Root, "redocly.yaml");

    /// <summary>
    /// Where Redocly CLI and Prism are installed: scripts/services/openapi-tools.sh exports it, after <c>npm ci</c> from
    /// tools/openapi/package-lock.json.
    /// </summary>
    public static string NodeTool(string name)
    {
        var bin = Environment.GetEnvironmentVariable("SAAS_TEST_OPENAPI_TOOLS") ?? Path.Combine(Root, "tools", "openapi", "node_modules", ".bin");
        var tool = Path.Combine(bin, name);
        return File.Exists(tool)
            ? tool
            : throw new InvalidOperationException($"{tool} is not installed: run the tests with scripts/test.sh, which installs tools/openapi with npm ci.");
    }
}
