using System.Text.RegularExpressions;

namespace SaasOnboarding.Deploy.Tests;

/// <summary>The pages template.yaml sends people to (its outputs, the invitation emails) are pages the app serves.</summary>
public sealed partial class TemplatePageLinksTests(EmbeddedApp app) : IClassFixture<EmbeddedApp>
{
    private readonly SamTemplate _template = SamTemplate.Load();

    [Fact]
    public async Task TheSignUpOutputAndTheInvitationsSignInLinksLeadToPagesTheAppServes()
    {
        var evaluator = _template.Evaluator();
        var stageUrl = $"https://{evaluator.PhysicalId("RestApi")}.execute-api.{CfnEvaluator.Region}.amazonaws.com/{evaluator.Parameter("StageName")}";
        string InvitationLink(string pool)
        {
            var template = _template.PropertiesOf(pool).Map("AdminCreateUserConfig").Map("InviteMessageTemplate");
            return Link().Match(evaluator.EvaluateString(template["EmailMessage"]!)!).Groups[1].Value;
        }

        var links = new[]
        {
            evaluator.EvaluateString(_template.Outputs.Map("SignUpPageUrl")["Value"]!)!,
            evaluator.EvaluateString(_template.Outputs.Map("SwaggerUiUrl")["Value"]!)!,
            InvitationLink("TenantUserPool"),
            InvitationLink("OperationsUserPool"),
        };

        using var client = app.CreateClient();
        foreach (var link in links)
        {
            Assert.StartsWith(stageUrl + "/", link, StringComparison.Ordinal);
            using var page = await client.GetAsync(link[stageUrl.Length..]);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{link} answers {(int)page.StatusCode}");
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Link();
}
