using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SaasOnboarding.Browser.Tests;

/// <summary>Swagger UI works under the same Content-Security-Policy as the app's own pages.</summary>
[Collection(BrowserTests.Name)]
public sealed class SwaggerUiTests(BrowserApp app)
{
    static SwaggerUiTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task SwaggerUiRendersTheOperationsWithoutAPolicyRefusal()
    {
        await using var browser = await BrowserPage.OpenAsync(app, "swagger");
        await BrowserPage.StepsAsync(
            async () =>
            {
                var response = await browser.GotoAsync("swagger/index.html");
                Assert.NotNull(response);
                Assert.Contains("frame-ancestors 'none'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
                await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "SaasOnboarding API" })).ToBeVisibleAsync();

                // An operation opens and offers "Try it out": the interactive part runs under the policy too.
                await browser.Page.GetByRole(AriaRole.Button, new() { Name = "POST /registration Sign up a new tenant" }).ClickAsync();
                await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Try it out" })).ToBeVisibleAsync();
                await browser.ScreenshotAsync("swagger-ui");
                browser.AssertNoProblems();
            },
            browser);
    }
}
