using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SaasOnboarding.Contract.Tests.Infrastructure;

namespace SaasOnboarding.Contract.Tests;

/// <summary>docs/openapi.json is the document the app serves, so that a change to the contract shows in review.</summary>
public sealed class CommittedDocumentTests
{
    /// <summary>Set to 1 to write the served document to docs/openapi.json instead of comparing.</summary>
    public const string RefreshVariable = "SAAS_REFRESH_OPENAPI";

    /// <summary>The served document names the address it was fetched from; the committed one names dotnet run's.</summary>
    public const string CommittedServer = "http://localhost:5080";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task TheCommittedDocumentIsTheOneTheAppServes()
    {
        var served = await ServedDocumentAsync();
        var text = served.ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable(RefreshVariable) == "1")
        {
            await File.WriteAllTextAsync(RepositoryFiles.CommittedDocument, text);
            return;
        }

        var committed = File.Exists(RepositoryFiles.CommittedDocument) ? JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.CommittedDocument)) : null;
        Assert.True(
            JsonNode.DeepEquals(committed, served),
            "docs/openapi.json differs from the document the app serves. If the change to the contract is intended, refresh the file with "
            + $"`{RefreshVariable}=1 scripts/test.sh --filter \"FullyQualifiedName~CommittedDocumentTests\"` and commit it (see docs/api-contract.md).");
    }

    /// <summary>The document as the app serves it in-process, with its server named as in the committed file.</summary>
    private static async Task<JsonNode> ServedDocumentAsync()
    {
        var data = Directory.CreateTempSubdirectory("saas-contract-doc-").FullName;
        try
        {
            await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
                .UseEnvironment("Development")
                .UseSetting("Storage:Embedded:DataDirectory", data)
                .UseSetting("Identity:Local:DataDirectory", data)
                .UseSetting("Identity:Local:AdminPassword", AppFactory.AdminPassword));
            using var client = app.CreateClient();
            var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
            document["servers"] = new JsonArray(new JsonObject { ["url"] = CommittedServer });
            return document;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
