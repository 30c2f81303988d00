using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The signed-in session in the browser, at 1440 and at 375 px: where the tokens live, how they are renewed, and
/// signing out. Every state passes axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class SessionTests(BrowserApp app)
{
    static SessionTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task TokensStayOutOfUrlsAreRenewedBeforeExpiryAndAfterA401AndSigningOutForgetsThem(int width)
    {
        var tenant = await app.OnboardAndSignInAsync();
        await using var browser = await BrowserPage.OpenAsync(app, $"session-{width}", BrowserPage.At(width));
        var page = browser.Page;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SignInAsync(browser, tenant.AdminUserName, ApiClient.NewPassword);
                var session = await SessionAsync(browser);
                seenTokens.Add(session.GetProperty("idToken").GetString()!);
                seenTokens.Add(session.GetProperty("refreshToken").GetString()!);
                Assert.Equal("tenant", session.GetProperty("pool").GetString());
                Assert.Equal(tenant.TenantId, session.GetProperty("tenantId").GetString());
                Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
                Assert.Empty(await page.Context.CookiesAsync());
                await browser.CheckStateAsync("signed-in");

                // Shortly before the ID token expires, the next call renews it first.
                await page.EvaluateAsync("() => { const s = JSON.parse(sessionStorage.getItem('saas.session')); s.expiresAt = Date.now() + 5000; sessionStorage.setItem('saas.session', JSON.stringify(s)); }");
                await page.RunAndWaitForRequestFinishedAsync(
                    () => GoAsync(browser, "Orders"),
                    new() { Predicate = request => request.Url.EndsWith("/auth/refresh", StringComparison.Ordinal) });
                await Expect(page.GetByText("No orders yet.")).ToBeVisibleAsync();
                await browser.CheckStateAsync("renewed-before-expiry");
                session = await SessionAsync(browser);
                seenTokens.Add(session.GetProperty("idToken").GetString()!);
                Assert.True(session.GetProperty("expiresAt").GetDouble() > DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeMilliseconds());

                // A token the API refuses (401) is renewed once and the call retried, unseen by the person.
                const string forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
                await SetSessionFieldAsync(page, "idToken", forged);
                await page.RunAndWaitForRequestFinishedAsync(
                    () => GoAsync(browser, "Products"),
                    new() { Predicate = request => request.Url.EndsWith("/auth/refresh", StringComparison.Ordinal) });
                await Expect(page.GetByText("No products yet.")).ToBeVisibleAsync();
                await browser.CheckStateAsync("renewed-after-401");
                session = await SessionAsync(browser);
                Assert.NotEqual(forged, session.GetProperty("idToken").GetString());
                seenTokens.Add(session.GetProperty("idToken").GetString()!);

                // When the refresh token is refused too, the session ends and says how to go on.
                await SetSessionFieldAsync(page, "idToken", forged);
                await SetSessionFieldAsync(page, "refreshToken", "not-a-refresh-token");
                await GoAsync(browser, "Orders");
                await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your session has ended. Sign in again to continue.");
                await browser.CheckStateAsync("session-ended");
                Assert.Null(await browser.SessionItemAsync("saas.session"));
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }).ClickAsync();

                // Sign in again with the keyboard alone; signing out forgets the session, and the app's pages then
                // send the person to sign in.
                await browser.GotoAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
                await browser.CheckStateAsync("sign-in-again");
                await page.GetByLabel("User name").FocusAsync();
                await page.Keyboard.TypeAsync(tenant.AdminUserName);
                await page.Keyboard.PressAsync("Tab");
                await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
                await page.Keyboard.TypeAsync(ApiClient.NewPassword);
                await page.Keyboard.PressAsync("Enter");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
                seenTokens.Add((await SessionAsync(browser)).GetProperty("idToken").GetString()!);
                await SignOutAsync(browser);
                await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
                await browser.CheckStateAsync("signed-out");
                Assert.Null(await browser.SessionItemAsync("saas.session"));
                await browser.GotoAsync("app.html#/orders");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
                await browser.CheckStateAsync("signed-out-deep-link");
            },
            browser);

        Assert.NotEmpty(browser.Requests);
        foreach (var url in browser.Requests)
        {
            foreach (var token in seenTokens)
            {
                Assert.DoesNotContain(token, url, StringComparison.Ordinal);
            }
        }

        browser.AssertNoProblems();
    }

    internal static async Task SignInAsync(BrowserPage browser, string userName, string password)
    {
        var page = browser.Page;
        await browser.GotoAsync();
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task<JsonElement> SessionAsync(BrowserPage browser)
    {
        var json = await browser.SessionItemAsync("saas.session");
        Assert.False(string.IsNullOrEmpty(json), "No session in sessionStorage");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static async Task SetSessionFieldAsync(IPage page, string field, string value) =>
        await page.EvaluateAsync(
            "([field, value]) => { const s = JSON.parse(sessionStorage.getItem('saas.session')); s[field] = value; sessionStorage.setItem('saas.session', JSON.stringify(s)); }",
            new[] { field, value });
}
