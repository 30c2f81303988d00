using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The tenant app's searches: products by a part of the name or SKU, orders (newest first) by a part of a product's
/// name or by status. Each search is kept in the URL, so reload and Back show it again; a search that finds nothing
/// says so in words; prices show their currency. At 1440 and 375 px, with axe-core on every state.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ProductSearchTests(BrowserApp app)
{
    static ProductSearchTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task ATenantAdminSearchesProductsAndOrdersAndTheSearchSurvivesReloadAndBack(int width)
    {
        var phone = width < 600;
        var viewport = phone ? BrowserPage.Phone : BrowserPage.Desktop;
        Assert.Equal(width, viewport.Width);
        var shot = phone ? "phone-" : string.Empty;
        var tenant = await app.OnboardAndSignInAsync();
        using (var api = app.Client(tenant.AdminTokens.IdToken))
        {
            var ids = new Dictionary<string, string>();
            foreach (var (name, sku, price) in new[] { ("Blue pen", "PEN-BLUE", 2.5m), ("Red pen", "PEN-RED", 2.75m), ("Notepad", "PAD-A5", 4m), ("Stapler", "STP-1", 12m) })
            {
                var created = await api.PostAsJsonAsync("/product", new { name, sku, price, quantity = 50 });
                await created.ShouldBe(HttpStatusCode.Created);
                ids[sku] = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            }

            foreach (var (orderName, sku) in new[] { ("Office supplies", "PAD-A5"), ("Pens for school", "PEN-RED"), ("Desk", "STP-1") })
            {
                var ordered = await api.PostAsJsonAsync("/order", new { orderName, orderProducts = new[] { new { productId = ids[sku], quantity = 2 } } });
                await ordered.ShouldBe(HttpStatusCode.Created);
            }
        }

        await using var admin = await BrowserPage.OpenAsync(app, $"search-{width}", viewport);
        var page = admin.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await Expect(page.Locator("#products-table tbody tr")).ToHaveCountAsync(4);
                await Expect(page.Locator("main")).Not.ToContainTextAsync("null");

                // A part of a name or SKU, in any case: "pen" finds both pens; the search goes into the URL.
                await page.GetByLabel("Search by name or SKU").FillAsync("PEN");
                await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                await Expect(page.Locator("#products-table tbody tr")).ToHaveCountAsync(2);
                await Expect(page.GetByText("Products matching “PEN”")).ToBeVisibleAsync();
                await Expect(ProductRow(page, "PEN-RED").Locator("td[data-label='Price']")).ToHaveTextAsync("US$2.75");
                Assert.EndsWith("#/products?search=PEN", page.Url, StringComparison.Ordinal);
                await admin.AssertAccessibleAsync();
                await admin.DocumentScreenshotAsync(shot + "products-search");

                await page.ReloadAsync();
                await Expect(page.Locator("#products-table tbody tr")).ToHaveCountAsync(2);
                await Expect(page.GetByLabel("Search by name or SKU")).ToHaveValueAsync("PEN");

                // Nothing found is said in words; "Show all" clears the search, and Back brings it back.
                await page.GetByLabel("Search by name or SKU").FillAsync("pencil");
                await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                await Expect(page.GetByText("No product has “pencil” in its name or SKU.")).ToBeVisibleAsync();
                await admin.AssertAccessibleAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Show all" }).ClickAsync();
                await Expect(page.Locator("#products-table tbody tr")).ToHaveCountAsync(4);
                await page.GoBackAsync();
                await Expect(page.GetByText("No product has “pencil” in its name or SKU.")).ToBeVisibleAsync();
                await Expect(page.GetByLabel("Search by name or SKU")).ToHaveValueAsync("pencil");

                // Orders list newest first.
                if (phone)
                {
                    await PhoneNavAsync(page, "Orders");
                }
                else
                {
                    await Nav(page, "Orders").ClickAsync();
                }

                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders", Level = 1 })).ToBeVisibleAsync();
                var names = page.Locator("#orders-table tbody tr td[data-label='Order']");
                await Expect(names).ToHaveTextAsync(["Desk", "Pens for school", "Office supplies"]);
                await Expect(page.Locator("#orders-table tbody tr td[data-label='Total']").First).ToHaveTextAsync("US$24.00");
                await admin.AssertAccessibleAsync();

                // By a product on a line ("Red pen" is in "Pens for school") and by status, kept in the URL.
                await page.GetByLabel("Search by order, product or SKU").FillAsync("red");
                await page.GetByLabel("Status").SelectOptionAsync("Processing");
                await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                await Expect(names).ToHaveTextAsync(["Pens for school"]);
                await Expect(page.GetByText("Orders matching “red” and that are processing")).ToBeVisibleAsync();
                Assert.EndsWith("#/orders?search=red&status=processing", page.Url, StringComparison.Ordinal);
                await admin.AssertAccessibleAsync();
                await admin.DocumentScreenshotAsync(shot + "orders-search");

                await page.GetByLabel("Status").SelectOptionAsync("Shipped");
                await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
                await Expect(page.GetByText("No order matches.")).ToBeVisibleAsync();
                await admin.AssertAccessibleAsync();
                await page.GoBackAsync();
                await Expect(names).ToHaveTextAsync(["Pens for school"]);
                await Expect(page.GetByLabel("Status")).ToHaveValueAsync("processing");
                await page.ReloadAsync();
                await Expect(names).ToHaveTextAsync(["Pens for school"]);
                await Expect(page.Locator("main")).Not.ToContainTextAsync("null");
                await admin.ScreenshotAsync("orders-search");
            },
            admin);
        admin.AssertNoProblems();
    }
}
