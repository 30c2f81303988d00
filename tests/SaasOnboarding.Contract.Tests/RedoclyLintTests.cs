using SaasOnboarding.Contract.Tests.Infrastructure;

namespace SaasOnboarding.Contract.Tests;

/// <summary>Redocly CLI's recommended rules, less those redocly.yaml turns off (each with its reason), pass on the served document.</summary>
[Collection(SharedListeningApp.Name)]
public sealed class RedoclyLintTests(ListeningApp app)
{
    [Fact]
    public async Task TheServedDocumentPassesTheRecommendedRulesWithNoErrorAndNoWarning()
    {
        var document = Path.Combine(app.WorkingDirectory, "served-openapi.json");
        using (var client = app.Client())
        {
            await File.WriteAllTextAsync(document, await client.GetStringAsync("/openapi/v1.json"));
        }

        var (exitCode, report, output) = await ChildProcess.RunAsync(
            RepositoryFiles.NodeTool("redocly"),
            ["lint", document, "--config", RepositoryFiles.RedoclyConfiguration, "--format", "json"],
            RepositoryFiles.Root,
            TimeSpan.FromMinutes(2));

        // The JSON report goes to stdout; Node's and Redocly's notices go to stderr.
        Assert.True(exitCode == 0, "redocly lint failed:\n" + output);
        using var json = JsonDocument.Parse(report);
        var totals = json.RootElement.GetProperty("totals");
        var problems = json.RootElement.GetProperty("problems").ToString();
        Assert.True(totals.GetProperty("errors").GetInt32() == 0, "Redocly errors:\n" + problems);
        Assert.True(totals.GetProperty("warnings").GetInt32() == 0, "Redocly warnings:\n" + problems);
    }
}
