using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The whole journey a person makes in the browser, against the app on a loopback port, at 1440 and at 375 px: sign
/// up, read the mailbox, first sign-in with a new password, stock products, order, hit a stock limit, be deactivated
/// by the provider and refused, be let back in, and be told at sign-in when the company is deactivated. Every state
/// passes axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class TenantJourneyTests(BrowserApp app)
{
    private const string NewPassword = "Br0wser-Passw0rd!";

    static TenantJourneyTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task ACompanySignsUpOrdersIsDeactivatedByTheProviderAndIsLetBackIn(int width)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var takenName = "Taken Co " + suffix;
        var companyName = "Acme " + suffix;
        await app.RegisterAsync(takenName);

        await using var tenant = await BrowserPage.OpenAsync(app, $"journey-{width}", BrowserPage.At(width));
        await using var staff = await BrowserPage.OpenAsync(app, $"journey-staff-{width}", BrowserPage.At(width));
        var page = tenant.Page;
        var console = staff.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                // The start page is the sign-in, with a visible way to sign up.
                await tenant.GotoAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
                await tenant.CheckStateAsync("sign-in");
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign up your company" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign up your company" })).ToBeVisibleAsync();

                // The server's rules are checked as the person types, beside each field.
                var name = page.GetByLabel("Company name");
                var email = page.GetByLabel("Email of the administrator");
                await name.FillAsync("Acme <script>");
                await name.BlurAsync();
                await Expect(page.Locator("#signup-tenantName-error")).ToHaveTextAsync("Use letters, digits, spaces and - _ . ' & only.");
                await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
                await email.FillAsync("owner@");
                await email.BlurAsync();
                await Expect(page.Locator("#signup-tenantEmail-error")).ToHaveTextAsync("Must be an email address.");
                await page.GetByLabel("Phone").FillAsync("call me");
                await page.GetByLabel("Phone").BlurAsync();
                await Expect(page.Locator("#signup-tenantPhone-error")).ToContainTextAsync("digits");
                await tenant.CheckStateAsync("sign-up-checked-as-you-type");

                // A name longer than the limit is refused beside the field, not cut.
                await name.FillAsync(new string('A', 70));
                await name.BlurAsync();
                await Expect(page.Locator("#signup-tenantName-error")).ToHaveTextAsync("At most 64 characters (now 70).");
                await Expect(name).ToHaveValueAsync(new string('A', 70));

                // Fixing a field clears its error as the person types; nothing is posted while any field is wrong.
                await name.FillAsync(takenName);
                await Expect(page.Locator("#signup-tenantName-error")).ToBeHiddenAsync();
                await Expect(name).Not.ToHaveAttributeAsync("aria-invalid", "true");
                await email.FillAsync("owner@acme.test");
                await page.GetByLabel("Phone").FillAsync("+1 555 0100");
                await page.GetByLabel("Plan").SelectOptionAsync("Premium");
                await Expect(page.Locator("#signup-tenantTier-hint")).ToHaveTextAsync("Up to 250 requests a second for your company.");
                await page.GetByLabel("Address").FillAsync("1 Main St, Springfield");
                await tenant.CheckStateAsync("sign-up-filled");
                await tenant.DocumentScreenshotAsync(tenant.DocumentPrefix + "sign-up");

                // The server's field error (the name is taken) is shown beside the field it names.
                await page.GetByRole(AriaRole.Button, new() { Name = "Create company account" }).ClickAsync();
                await Expect(page.Locator("#signup-tenantName-error")).ToContainTextAsync("Another tenant already has this name");
                await Expect(name).ToBeFocusedAsync();
                await tenant.CheckStateAsync("sign-up-server-error");

                await name.FillAsync(companyName);
                await page.GetByRole(AriaRole.Button, new() { Name = "Create company account" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeFocusedAsync();
                var adminUserName = (await page.Locator("#signup-done-user").InnerTextAsync()).Trim();
                Assert.Matches("^tenant-admin-[a-z0-9]+$", adminUserName);
                await Expect(page.Locator("#signup-done-message")).ToContainTextAsync("owner@acme.test");
                await tenant.CheckStateAsync("sign-up-done");

                // Locally the email is in the dev mailbox, linked from the success page.
                await page.GetByRole(AriaRole.Link, new() { Name = "dev mailbox" }).ClickAsync();
                var message = page.Locator("article.mail-message").Filter(new() { Has = page.Locator(".mail-user", new() { HasTextString = adminUserName }) });
                await Expect(message).ToHaveCountAsync(1);
                var temporaryPassword = (await message.Locator(".mail-password").InnerTextAsync()).Trim();
                Assert.False(string.IsNullOrEmpty(temporaryPassword));
                await tenant.CheckStateAsync("mailbox");

                // First sign-in: the temporary password, then the new-password challenge with its rules ticking as you type.
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).ClickAsync();
                await Expect(page.GetByLabel("User name")).ToHaveValueAsync(adminUserName);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(temporaryPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeFocusedAsync();
                var newPassword = page.GetByLabel("New password", new() { Exact = true });
                await newPassword.FillAsync("weakpass");
                await Expect(page.Locator("#rule-length")).ToHaveClassAsync(new Regex("met"));
                await Expect(page.Locator("#rule-symbol")).Not.ToHaveClassAsync(new Regex("met"));
                await page.GetByLabel("Type it again").FillAsync("weakpass");
                await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
                await Expect(page.Locator("#new-password-newPassword-error")).ToContainTextAsync("a symbol");
                await tenant.CheckStateAsync("new-password-rules");
                await newPassword.FillAsync(NewPassword);
                await page.GetByLabel("Type it again").FillAsync(NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();

                // The tenant app, under a header that names the company (one line with a menu at phone width); the
                // admin stocks two products (and a taken SKU is named beside its field).
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
                Assert.EndsWith("app.html#/products", page.Url, StringComparison.Ordinal);
                await Expect(page.Locator("#who")).ToContainTextAsync(adminUserName);
                await Expect(page.Locator("#company-name")).ToHaveTextAsync(companyName);
                if (tenant.IsPhone)
                {
                    await Expect(page.Locator("#site-nav")).ToBeHiddenAsync();
                    var header = await page.Locator(".site-header").BoundingBoxAsync();
                    Assert.True(header!.Height < BrowserPage.Phone.Height / 8, $"The header is {header.Height} px high at phone width.");
                }

                await tenant.CheckStateAsync("no-products");
                await AddProductAsync(page, "Widget", "W-1", "2.50", "5");
                await AddProductAsync(page, "Gadget", "G-1", "10", "1");
                await page.GetByRole(AriaRole.Link, new() { Name = "New product" }).ClickAsync();
                await FillProductAsync(page, "Widget copy", "W-1", "1", "1");
                await page.GetByRole(AriaRole.Button, new() { Name = "Add product" }).ClickAsync();
                await Expect(page.Locator("#product-sku-error")).ToContainTextAsync("W-1");
                await tenant.CheckStateAsync("product-sku-taken");
                await page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();

                // An edit shows in the list, its price with the currency.
                await page.GetByRole(AriaRole.Link, new() { Name = "Edit Widget" }).ClickAsync();
                await Expect(page.GetByLabel("Price")).ToHaveValueAsync("2.50");
                await tenant.CheckStateAsync("product-edit");
                await page.GetByLabel("Price").FillAsync("3");
                await page.GetByRole(AriaRole.Button, new() { Name = "Save product" }).ClickAsync();
                var widget = ProductRow(page, "W-1");
                await Expect(widget.Locator("td[data-label='Price']")).ToHaveTextAsync("US$3.00");
                await tenant.CheckStateAsync("products");
                await tenant.DocumentScreenshotAsync(tenant.DocumentPrefix + "products");

                // A cart from the product list, then the order and its detail.
                await widget.GetByLabel("Quantity of Widget").FillAsync("2");
                await widget.GetByRole(AriaRole.Button, new() { Name = "Add to cart (Widget)" }).ClickAsync();
                await Expect(page.Locator(".cart-status")).ToContainTextAsync("Added 2 × Widget to the cart.");
                await Expect(page.Locator("#site-nav")).ToContainTextAsync("Cart (2 items)");
                await tenant.CheckStateAsync("added-to-cart");
                await GoAsync(tenant, "Cart");
                await Expect(page.Locator("#cart-total")).ToHaveTextAsync("US$6.00");
                await page.GetByLabel("Order name").FillAsync("First order");
                if (tenant.IsPhone)
                {
                    // The cart's column labels never break inside a word.
                    var quantityLabel = await page.Locator("#cart-table td[data-label='Quantity']").EvaluateAsync<string>("td => getComputedStyle(td, '::before').whiteSpace");
                    Assert.Equal("nowrap", quantityLabel);
                    await tenant.DocumentScreenshotAsync("phone-cart");
                }

                await tenant.CheckStateAsync("cart");
                await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "First order", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.GetByText("Order “First order” was placed.")).ToBeVisibleAsync();
                await Expect(page.Locator("#order-summary")).ToContainTextAsync("Processing");
                await Expect(page.Locator("#order-total")).ToHaveTextAsync("US$6.00");
                await Expect(page.Locator("#site-nav")).Not.ToContainTextAsync("Cart (");
                await tenant.CheckStateAsync("order-detail");

                // The stock went down by what was ordered.
                await GoAsync(tenant, "Products");
                await Expect(ProductRow(page, "W-1").Locator("td[data-label='In stock']")).ToHaveTextAsync("3");

                // More than the stock: the error says plainly which product and how many there are, beside its line.
                var gadget = ProductRow(page, "G-1");
                await gadget.GetByLabel("Quantity of Gadget").FillAsync("3");
                await gadget.GetByRole(AriaRole.Button, new() { Name = "Add to cart (Gadget)" }).ClickAsync();
                await GoAsync(tenant, "Cart");
                await page.GetByLabel("Order name").FillAsync("Too many");
                await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
                var alert = page.Locator("#order [role=alert]");
                await Expect(alert).ToContainTextAsync("Not enough stock for Gadget");
                await Expect(alert).ToContainTextAsync("Nothing was ordered");
                await Expect(page.GetByLabel("Quantity of Gadget")).ToHaveAttributeAsync("aria-invalid", "true");
                await Expect(page.Locator("#cart-table tr.problem")).ToContainTextAsync("Only 1 in stock; the cart has 3.");
                await tenant.CheckStateAsync("over-stock");

                // The provider's staff, in a browser of their own, find the tenant and deactivate it after confirming.
                await SignInAsStaffAsync(staff);
                await staff.CheckStateAsync("tenants");
                await console.GetByLabel("Search by name").FillAsync(companyName);
                await console.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                await Expect(console.Locator("#tenants-table tbody tr")).ToHaveCountAsync(1);
                await staff.CheckStateAsync("tenants-found");
                await console.GetByRole(AriaRole.Link, new() { Name = companyName }).ClickAsync();
                await Expect(console.GetByRole(AriaRole.Heading, new() { Name = companyName, Level = 1 })).ToBeVisibleAsync();
                await Expect(console.Locator("#tenant-users-table")).ToContainTextAsync(adminUserName);
                await Expect(console.Locator("#tenant-summary")).ToContainTextAsync("Premium");
                await staff.CheckStateAsync("tenant-detail");
                await DeactivateAsync(staff, companyName);
                await Expect(console.Locator("#tenant-summary")).ToContainTextAsync("Deactivated");
                await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Reactivate tenant" })).ToBeVisibleAsync();
                await staff.CheckStateAsync("tenant-deactivated");

                // The tenant's admin is refused on the very next action, in words.
                await GoAsync(tenant, "Orders");
                var refused = page.Locator(".paged-list [role=alert]");
                await Expect(refused).ToContainTextAsync("Your company account is deactivated");
                await tenant.CheckStateAsync("refused-while-deactivated");

                // Reactivation (confirmed) restores access: the same person retries and sees the order.
                await console.GetByRole(AriaRole.Button, new() { Name = "Reactivate tenant" }).ClickAsync();
                await console.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
                await Expect(console.GetByText($"{companyName} is active again.")).ToBeVisibleAsync();
                await Expect(console.Locator("#tenant-summary")).ToContainTextAsync("Active");
                await staff.CheckStateAsync("tenant-reactivated");
                await refused.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
                await Expect(page.Locator("#orders-table")).ToContainTextAsync("First order");
                await Expect(page.Locator("#orders-table")).Not.ToContainTextAsync("Too many");
                await tenant.CheckStateAsync("access-restored");

                // Deactivated again, its admin is told so at sign-in (after the right password only).
                await DeactivateAsync(staff, companyName);
                await SignOutAsync(tenant);
                await page.GetByLabel("User name").FillAsync(adminUserName);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(NewPassword);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your company account is deactivated");
                await tenant.CheckStateAsync("sign-in-deactivated");
            },
            tenant,
            staff);

        tenant.AssertNoProblems();
        staff.AssertNoProblems();
    }

    /// <summary>On the tenant's page in the console: "Deactivate tenant", the confirmation (its safe button focused, checked by axe-core), "Deactivate".</summary>
    private static async Task DeactivateAsync(BrowserPage staff, string companyName)
    {
        var console = staff.Page;
        await console.GetByRole(AriaRole.Button, new() { Name = "Deactivate tenant" }).ClickAsync();
        var dialog = console.GetByRole(AriaRole.Dialog, new() { Name = $"Deactivate {companyName}?" });
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await staff.CheckStateAsync("deactivate-confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(console.GetByText($"{companyName} is deactivated.")).ToBeVisibleAsync();
    }

    internal static ILocator Nav(IPage page, string name) => page.Locator("#site-nav").GetByRole(AriaRole.Link, new() { Name = name });

    /// <summary>At phone width the navigation is behind the "Menu" button: opens it, then follows the link.</summary>
    internal static async Task PhoneNavAsync(IPage page, string name)
    {
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Nav(page, name).ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
    }

    /// <summary>Follows the navigation link <paramref name="name"/>: behind the "Menu" button at phone width, in the header otherwise.</summary>
    internal static async Task GoAsync(BrowserPage browser, string name)
    {
        if (browser.IsPhone)
        {
            await PhoneNavAsync(browser.Page, name);
        }
        else
        {
            await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" })).ToBeHiddenAsync();
            await Nav(browser.Page, name).ClickAsync();
        }
    }

    /// <summary>"Sign out", behind the "Menu" button at phone width; then the sign-in page.</summary>
    internal static async Task SignOutAsync(BrowserPage browser)
    {
        if (browser.IsPhone)
        {
            await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        }

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
    }

    internal static ILocator ProductRow(IPage page, string sku) =>
        page.Locator("#products-table tbody tr").Filter(new() { Has = page.Locator("td[data-label='SKU']", new() { HasTextString = sku }) });

    internal static async Task SignInAsStaffAsync(BrowserPage staff)
    {
        var page = staff.Page;
        await staff.GotoAsync();
        await page.GetByLabel("Provider staff").CheckAsync();
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AppFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tenants", Level = 1 })).ToBeVisibleAsync();
    }

    private static async Task AddProductAsync(IPage page, string name, string sku, string price, string quantity)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "New product" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New product" })).ToBeVisibleAsync();
        await FillProductAsync(page, name, sku, price, quantity);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add product" }).ClickAsync();
        await Expect(page.GetByText($"{name} was added.")).ToBeVisibleAsync();
        await Expect(ProductRow(page, sku)).ToHaveCountAsync(1);
    }

    private static async Task FillProductAsync(IPage page, string name, string sku, string price, string quantity)
    {
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("SKU").FillAsync(sku);
        await page.GetByLabel("Price").FillAsync(price);
        await page.GetByLabel("Quantity in stock").FillAsync(quantity);
    }
}
