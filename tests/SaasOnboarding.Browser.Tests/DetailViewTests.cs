using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The view of one resource (js/detail.js), which the tenant app and the provider console share: a failed load
/// shows the error, "Try again" loads it again and returns focus to the heading; the product form is filled from
/// the loaded product; a loaded order names the heading and the tab, and an admin deletes it after confirming.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DetailViewTests(BrowserApp app)
{
    static DetailViewTests() => SetDefaultExpectTimeout(10_000);

    [Fact]
    public async Task AFailedLoadIsRetriedInPlaceAndALoadedOrderIsDeletedAfterConfirming()
    {
        var tenant = await app.OnboardAndSignInAsync();
        string productId;
        using (var api = app.Client(tenant.AdminTokens.IdToken))
        {
            var created = await api.PostAsJsonAsync("/product", new { name = "Lamp", sku = "L-1", price = 12.5m, quantity = 4 });
            await created.ShouldBe(HttpStatusCode.Created);
            var lamp = await created.Content.ReadFromJsonAsync<JsonElement>();
            productId = lamp.GetProperty("id").GetString()!;
            var ordered = await api.PostAsJsonAsync("/order", new { orderName = "Lamps", orderProducts = new[] { new { productId, quantity = 2 } } });
            await ordered.ShouldBe(HttpStatusCode.Created);
        }

        await using var admin = await BrowserPage.OpenAsync(app, "detail-view", BrowserPage.Desktop, "Prod");
        var page = admin.Page;
        await BrowserPage.StepsAsync(
            async () =>
            {
                await SessionTests.SignInAsync(admin, tenant.AdminUserName, ApiClient.NewPassword);
                await admin.GotoAsync("app.html#/order/nope");
                await Expect(page.Locator("main [role=alert]")).ToContainTextAsync("Order not found");
                await page.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Order", Level = 1 })).ToBeFocusedAsync();
                await Expect(page.Locator("main [role=alert]")).ToBeVisibleAsync();
                await admin.ScreenshotAsync("order-missing");

                await admin.GotoAsync($"app.html#/product/{productId}/edit");
                await Expect(page.GetByLabel("SKU")).ToHaveValueAsync("L-1");
                await Expect(page.GetByLabel("Price")).ToHaveValueAsync("12.50");
                await admin.ScreenshotAsync("product-edit");

                await admin.GotoAsync("app.html#/user/nobody-here");
                await Expect(page.Locator("main [role=alert]")).ToBeVisibleAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "nobody-here", Level = 1 })).ToBeFocusedAsync();

                await Nav(page, "Orders").ClickAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Lamps" }).ClickAsync();
                await Expect(page).ToHaveTitleAsync("Lamps · SaasOnboarding");
                await page.GetByRole(AriaRole.Button, new() { Name = "Delete order" }).ClickAsync();
                await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete order" }).ClickAsync();
                await Expect(page.GetByText("Order “Lamps” was deleted.")).ToBeVisibleAsync();
                await Expect(page.GetByText("No orders yet.")).ToBeVisibleAsync();
                await admin.ScreenshotAsync("order-deleted");
            },
            admin);
        admin.AssertNoProblems();
    }
}
