using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The pages served under an API Gateway stage prefix (<c>/Prod/</c>), at 1440 px and on a 375 px touch screen:
/// every request must stay under the prefix, which only URLs relative to the page do. Every state passes axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class StagePrefixTests(BrowserApp app)
{
    private const string Stage = "Prod";

    static StagePrefixTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task ProviderStaffPageSearchProvisionAndEditTenants(int width)
    {
        var group = "Paging " + Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= 12; i++)
        {
            await app.RegisterAsync($"{group} {i:00}");
        }

        await using var staff = await BrowserPage.OpenAsync(app, $"prefix-console-{width}", BrowserPage.At(width), Stage);
        var page = staff.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                // The page comes through the prefix with its security headers.
                var response = await staff.GotoAsync();
                Assert.NotNull(response);
                Assert.StartsWith(staff.Root.AbsoluteUri, page.Url, StringComparison.Ordinal);
                var headers = await response.AllHeadersAsync();
                Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
                Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"], StringComparison.Ordinal);
                Assert.Equal("nosniff", headers["x-content-type-options"]);
                Assert.Equal("no-referrer", headers["referrer-policy"]);

                await SignInAsStaffAsync(staff);
                Assert.Equal(staff.Root.AbsoluteUri + "admin.html#/tenants", page.Url);

                // Search by name, then page through the matches, 10 to a page.
                await page.GetByLabel("Search by name").FillAsync(group);
                await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                var rows = page.Locator("#tenants-table tbody tr");
                await Expect(rows).ToHaveCountAsync(10);
                await Expect(rows.First).ToContainTextAsync($"{group} 01");
                await Expect(page.Locator(".list-total")).ToHaveTextAsync("12 tenants");
                await staff.CheckStateAsync("tenants");
                await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
                await Expect(rows).ToHaveCountAsync(2);
                await Expect(page.GetByText("Page 2 of 2")).ToBeVisibleAsync();
                await Expect(rows.Last).ToContainTextAsync($"{group} 12");
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
                await staff.CheckStateAsync("tenants-page-2");

                // The page is kept with the search: Back from a tenant, and a reload, return to page 2.
                await page.GetByRole(AriaRole.Link, new() { Name = $"{group} 12" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{group} 12", Level = 1 })).ToBeVisibleAsync();
                await staff.CheckStateAsync("tenant");
                await page.GoBackAsync();
                await Expect(page.GetByText("Page 2")).ToBeVisibleAsync();
                await Expect(rows).ToHaveCountAsync(2);
                await page.ReloadAsync();
                await Expect(page.GetByText("Page 2")).ToBeVisibleAsync();
                await Expect(rows).ToHaveCountAsync(2);
                await Expect(page.GetByLabel("Search by name")).ToHaveValueAsync(group);
                await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
                await Expect(rows).ToHaveCountAsync(10);

                // Provision a tenant through the same registration form, then open it.
                await page.GetByRole(AriaRole.Link, new() { Name = "Provision a tenant" }).First.ClickAsync();
                await staff.CheckStateAsync("provision");
                var provisioned = group + " new";
                await page.GetByLabel("Company name").FillAsync(provisioned);
                await page.GetByLabel("Email of the administrator").FillAsync("new@example.com");
                await page.GetByLabel("Plan").SelectOptionAsync("Standard");
                await page.GetByRole(AriaRole.Button, new() { Name = "Provision tenant" }).ClickAsync();
                await Expect(page.Locator("#provisioned")).ToContainTextAsync($"{provisioned} is provisioned");
                await staff.CheckStateAsync("provisioned");
                await page.GetByRole(AriaRole.Link, new() { Name = $"Open {provisioned}" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = provisioned, Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator("#tenant-users-table")).ToContainTextAsync("tenant-admin-");

                // Edit its details; a server refusal would show beside the field, a success in the details.
                await page.GetByLabel("Phone").FillAsync("+44 20 7946 0000");
                await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
                await Expect(page.GetByText("Changes saved.")).ToBeVisibleAsync();
                await Expect(page.Locator("#tenant-summary")).ToContainTextAsync("+44 20 7946 0000");
                await staff.CheckStateAsync("tenant-detail");
                Assert.StartsWith(staff.Root.AbsoluteUri, page.Url, StringComparison.Ordinal);
            },
            staff);

        staff.AssertNoProblems();
    }

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task TenantAdminManagesUsersAndProfileAndATenantUserSeesOnlyWhatItMay(int width)
    {
        var tenant = await app.OnboardAndSignInAsync();
        using (var api = app.Client(tenant.AdminTokens.IdToken))
        {
            var created = await api.PostAsJsonAsync("/product", new { name = "Lamp", sku = "L-1", price = 12.5m, quantity = 4 });
            await created.ShouldBe(HttpStatusCode.Created);
            var lamp = await created.Content.ReadFromJsonAsync<JsonElement>();
            var ordered = await api.PostAsJsonAsync("/order", new { orderName = "Lamps for the hall", orderProducts = new[] { new { productId = lamp.GetProperty("id").GetString(), quantity = 2 } } });
            await ordered.ShouldBe(HttpStatusCode.Created);
        }

        var userName = "clerk-" + Guid.NewGuid().ToString("N")[..6];
        var otherName = "temp-" + Guid.NewGuid().ToString("N")[..6];

        await using var admin = await BrowserPage.OpenAsync(app, $"prefix-tenant-admin-{width}", BrowserPage.At(width), Stage);
        var page = admin.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await admin.CheckStateAsync("products");

                // The admin adds two users; the list shows them.
                await GoAsync(admin, "Users");
                foreach (var name in new[] { userName, otherName })
                {
                    await page.GetByLabel("User name").FillAsync(name);
                    await page.GetByLabel("Email").FillAsync(name + "@example.com");
                    await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
                    await Expect(page.GetByText($"{name} was added.")).ToBeVisibleAsync();
                }

                await Expect(page.Locator("#users-table")).ToContainTextAsync(userName);
                await Expect(page.Locator("#users-table tbody tr")).ToHaveCountAsync(3);

                // A user name the server refuses is named beside its field.
                await page.GetByLabel("User name").FillAsync(userName);
                await page.GetByLabel("Email").FillAsync("again@example.com");
                await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
                await Expect(page.Locator("#new-user-userName-error")).ToContainTextAsync("already exists");
                await admin.CheckStateAsync("users");

                // One is disabled after confirming.
                await page.GetByRole(AriaRole.Link, new() { Name = otherName }).ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = $"Disable ({otherName})" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
                await admin.CheckStateAsync("disable-confirmation");
                await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable user" }).ClickAsync();
                await Expect(page.GetByText($"{otherName} is disabled.")).ToBeVisibleAsync();
                await Expect(page.Locator("main .card").First).ToContainTextAsync("Disabled");
                await admin.CheckStateAsync("user-disabled");

                // Then removed for good, after confirming: back on the users list, without it.
                await page.GetByRole(AriaRole.Button, new() { Name = $"Remove ({otherName})" }).ClickAsync();
                await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove user" }).ClickAsync();
                await Expect(page.GetByText($"{otherName} is removed.")).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = userName })).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = otherName })).ToHaveCountAsync(0);
                await admin.CheckStateAsync("user-removed");

                // The company profile: the tier is shown but is the provider's to change.
                await GoAsync(admin, "Company profile");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Company profile" })).ToBeVisibleAsync();
                await Expect(page.GetByText("(managed by your provider)")).ToBeVisibleAsync();
                await page.GetByLabel("Address").FillAsync("9 Harbour Road");
                await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
                await Expect(page.GetByText("Company details saved.")).ToBeVisibleAsync();
                await Expect(page.GetByLabel("Address")).ToHaveValueAsync("9 Harbour Road");
                await admin.CheckStateAsync("company-profile");

                // An order's status changes from its detail page.
                await GoAsync(admin, "Orders");
                await admin.CheckStateAsync("orders");
                await page.GetByRole(AriaRole.Link, new() { Name = "Lamps for the hall" }).ClickAsync();
                await Expect(page.Locator("#order-total")).ToHaveTextAsync("US$25.00");
                await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("shipped");
                await page.GetByRole(AriaRole.Button, new() { Name = "Update status" }).ClickAsync();
                await Expect(page.GetByText("The order is now shipped.")).ToBeVisibleAsync();
                await Expect(page.Locator("#order-summary")).ToContainTextAsync("Shipped");
                await admin.CheckStateAsync("order-shipped");

                // Deleting a product asks first; Escape cancels and gives focus back to the button.
                await GoAsync(admin, "Products");
                var delete = page.GetByRole(AriaRole.Button, new() { Name = "Delete Lamp" });
                await delete.ClickAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
                await page.Keyboard.PressAsync("Escape");
                await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
                await Expect(delete).ToBeFocusedAsync();
                await Expect(ProductRow(page, "L-1")).ToHaveCountAsync(1);
                await delete.ClickAsync();
                await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete product" }).ClickAsync();
                await Expect(page.GetByText("Lamp was deleted.")).ToBeVisibleAsync();
                await Expect(ProductRow(page, "L-1")).ToHaveCountAsync(0);
                await admin.CheckStateAsync("product-deleted");
            },
            admin);
        admin.AssertNoProblems();

        // The new tenant user signs in for the first time and sees no admin pages or buttons.
        await app.FirstSignInAsync(userName);
        await using var user = await BrowserPage.OpenAsync(app, $"prefix-tenant-user-{width}", BrowserPage.At(width), Stage);
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(user, userName, ApiClient.NewPassword);
                var nav = user.Page.Locator("#site-nav");
                await Expect(nav).ToHaveTextAsync(new Regex("^Products\\s*Orders\\s*Cart\\s*My account\\s*Password and sign-in$"));
                await Expect(user.Page.GetByRole(AriaRole.Link, new() { Name = "New product" })).ToHaveCountAsync(0);
                await user.CheckStateAsync("products");
                await GoAsync(user, "My account");
                await Expect(user.Page.Locator("main")).ToContainTextAsync(userName);
                await Expect(user.Page.Locator("main")).ToContainTextAsync(tenant.TenantId);
                await user.CheckStateAsync("my-account");
                await user.GotoAsync("app.html#/users");
                await Expect(user.Page.GetByText("Only your company’s administrators can open this page.")).ToBeVisibleAsync();
                await user.CheckStateAsync("admins-only");
            },
            user);
        user.AssertNoProblems();
    }
}
