using System.Text.RegularExpressions;
using SaasOnboarding.Api.Tests.Infrastructure;
using SaasOnboarding.Api.Tests.Onboarding;

namespace SaasOnboarding.Api.Tests.Deploy;

/// <summary>The pages template.yaml sends people to (its outputs, the invitation emails) are pages the app serves.</summary>
public sealed partial class TemplatePageLinksTests(EmbeddedApp app) : IClassFixture<EmbeddedApp>
{
    private readonly SamTemplate _template = SamTemplate.Load();

    [Fact]
    public async Task The_sign_up_output_and_the_invitations_sign_in_links_lead_to_pages_the_app_serves()
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
