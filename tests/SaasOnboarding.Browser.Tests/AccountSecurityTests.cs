using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The account page of both consoles (change the password, set up and turn off two-step sign-in with the QR code)
/// and the sign-in page's steps (the code, the set-up, a forgotten password), driven as a person would. The test
/// computes the codes an authenticator app would show. Each journey runs at 1440 and at 375 px, and every new page
/// state passes axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AccountSecurityTests(BrowserApp app)
{
    private const string ChangedPassword = "Chang3d-Passw0rd!";

    static AccountSecurityTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task AUserSetsUpTwoStepSignInWithTheQrCodeSignsInWithACodeTurnsItOffAndChangesItsPassword(int width)
    {
        var tenant = await app.OnboardAsync();
        var userName = "secure-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        await using var browser = await BrowserPage.OpenAsync(app, $"account-{width}", BrowserPage.At(width));
        var page = browser.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(browser, userName, ApiClient.NewPassword);
                await GoAsync(browser, "Password and sign-in");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is off" })).ToBeVisibleAsync();
                await browser.CheckStateAsync("account-mfa-off");

                await page.GetByLabel("Your password", new() { Exact = true }).FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-step sign-in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"QR code to add {userName} to an authenticator app" })).ToBeVisibleAsync();
                await browser.CheckStateAsync("account-mfa-qr");
                var secret = (await page.Locator("#mfa-setup-secret").TextContentAsync())!;
                await page.GetByLabel("Code the app shows").FillAsync(Code(secret, TimeSpan.Zero));
                await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
                await Expect(page.GetByText("Two-step sign-in is on.")).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is on" })).ToBeVisibleAsync();
                await browser.CheckStateAsync("account-mfa-on");

                // Signing in now asks for a code; a wrong one is refused beside the field.
                await SignOutAsync(browser);
                await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
                await page.GetByLabel("User name").FillAsync(userName);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code", Level = 1 })).ToBeVisibleAsync();
                await browser.CheckStateAsync("signin-mfa");
                var code = page.GetByLabel("Code from your authenticator app");
                await code.FillAsync(WrongCode(secret));
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.Locator("#mfa-code-error")).ToContainTextAsync("This code is not right");
                await browser.CheckStateAsync("signin-mfa-wrong");

                // The set-up's code is used up: the app's next code (accepted for clock drift) signs in.
                await code.FillAsync(Code(secret, TimeSpan.FromSeconds(30)));
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();

                // Off again with the password.
                await GoAsync(browser, "Password and sign-in");
                await page.Locator("#mfa-disable-password").FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Turn off two-step sign-in" }).ClickAsync();
                await Expect(page.GetByText("Two-step sign-in is off.")).ToBeVisibleAsync();

                // A wrong current password is named beside its field; the right one changes it.
                await page.GetByLabel("Current password").FillAsync("Wr0ng-Passw0rd!");
                await page.GetByLabel("New password").FillAsync(ChangedPassword);
                await page.GetByLabel("Type it again").FillAsync(ChangedPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
                await Expect(page.Locator("#change-password-previousPassword-error")).ToBeVisibleAsync();
                await browser.CheckStateAsync("account-password-wrong");
                await page.GetByLabel("Current password").FillAsync(ApiClient.NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
                await Expect(page.GetByText("Your password is changed.")).ToBeVisibleAsync();
                await SignOutAsync(browser);
                await SessionTests.SignInAsync(browser, userName, ChangedPassword);
                browser.AssertNoProblems();
            },
            browser);
    }

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task ProviderStaffHaveTheAccountPageToo(int width)
    {
        await using var browser = await BrowserPage.OpenAsync(app, $"staff-account-{width}", BrowserPage.At(width));
        var page = browser.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SignInAsStaffAsync(browser);
                await GoAsync(browser, "Password and sign-in");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Password and sign-in", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in is off" })).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();
                await browser.CheckStateAsync("staff-account");
                browser.AssertNoProblems();
            },
            browser);
    }

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task AForgottenPasswordIsResetFromTheSignInPageWithTheMailedCode(int width)
    {
        var tenant = await app.OnboardAsync();
        var userName = "forgetful-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        await using var browser = await BrowserPage.OpenAsync(app, $"forgot-{width}", BrowserPage.At(width));
        var page = browser.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await browser.GotoAsync();

                // Without a user name, the page asks for one first.
                await page.GetByRole(AriaRole.Button, new() { Name = "Forgot your password?" }).ClickAsync();
                await Expect(page.Locator("#signin-userName-error")).ToContainTextAsync("Type your user name");
                await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
                await browser.CheckStateAsync("forgot-no-name");

                await page.GetByLabel("User name").FillAsync(userName);
                await page.GetByRole(AriaRole.Button, new() { Name = "Forgot your password?" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reset your password", Level = 1 })).ToBeVisibleAsync();
                await browser.CheckStateAsync("forgot-code");

                var code = await ResetCodeAsync(userName);
                await page.GetByLabel("Code from the email").FillAsync(code == "000000" ? "111111" : "000000");
                await page.GetByLabel("Choose a password").FillAsync(ChangedPassword);
                await page.GetByLabel("Repeat the password").FillAsync(ChangedPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
                await Expect(page.Locator("#reset-code-error")).ToBeVisibleAsync();
                await browser.CheckStateAsync("forgot-code-wrong");

                // A wrong try costs one of the code's five; the right code then sets the password.
                await page.GetByLabel("Code from the email").FillAsync(code);
                await page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
                await Expect(page.GetByText("Your password is changed. Sign in with it now.")).ToBeVisibleAsync();
                await Expect(page.GetByLabel("User name")).ToHaveValueAsync(userName);
                await browser.CheckStateAsync("forgot-done");
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ChangedPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
                browser.AssertNoProblems();
            },
            browser);
    }

    /// <summary>The code an authenticator app holding <paramref name="secret"/> shows <paramref name="from"/> now.</summary>
    private static string Code(string secret, TimeSpan from) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow + from);

    private static string WrongCode(string secret)
    {
        string[] right = [Code(secret, TimeSpan.FromSeconds(-30)), Code(secret, TimeSpan.Zero), Code(secret, TimeSpan.FromSeconds(30))];
        return Enumerable.Range(1, 4).Select(i => (i * 123457).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(code => !right.Contains(code));
    }

    /// <summary>
    /// The password reset code the app mailed the user (this app's mail goes to its dev mailbox), waited for: the
    /// mail leaves after the answer.
    /// </summary>
    private async Task<string> ResetCodeAsync(string userName)
    {
        using var client = app.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var mail = (await client.GetFromJsonAsync<MailboxMessage[]>("/dev/mailbox?limit=500", timeout.Token))!
                .FirstOrDefault(m => m.UserName == userName && m.Subject == "Your password reset code");
            if (mail is not null)
            {
                return System.Text.RegularExpressions.Regex.Match(mail.Body, "\\b[0-9]{6}\\b").Value;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
