using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The view of one resource (js/detail.js), which the tenant app and the provider console share: a failed load
/// shows the error, "Try again" loads it again and returns focus to the heading; the product form is filled from
/// the loaded product; a loaded order names the heading and the tab, and an admin deletes it after confirming. At
/// 1440 and at 375 px, every state passing axe-core.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DetailViewTests(BrowserApp app)
{
    static DetailViewTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task AFailedLoadIsRetriedInPlaceAndALoadedOrderIsDeletedAfterConfirming(int width)
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

        await using var admin = await BrowserPage.OpenAsync(app, $"detail-view-{width}", BrowserPage.At(width), "Prod");
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
                await admin.CheckStateAsync("order-missing");

                await admin.GotoAsync($"app.html#/product/{productId}/edit");
                await Expect(page.GetByLabel("SKU")).ToHaveValueAsync("L-1");
                await Expect(page.GetByLabel("Price")).ToHaveValueAsync("12.50");
                await admin.CheckStateAsync("product-edit");

                await admin.GotoAsync("app.html#/user/nobody-here");
                await Expect(page.Locator("main [role=alert]")).ToBeVisibleAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "nobody-here", Level = 1 })).ToBeFocusedAsync();
                await admin.CheckStateAsync("user-missing");

                await GoAsync(admin, "Orders");
                await page.GetByRole(AriaRole.Link, new() { Name = "Lamps" }).ClickAsync();
                await Expect(page).ToHaveTitleAsync("Lamps · SaasOnboarding");
                await admin.CheckStateAsync("order");
                await page.GetByRole(AriaRole.Button, new() { Name = "Delete order" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
                await admin.CheckStateAsync("delete-order-confirmation");
                await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete order" }).ClickAsync();
                await Expect(page.GetByText("Order “Lamps” was deleted.")).ToBeVisibleAsync();
                await Expect(page.GetByText("No orders yet.")).ToBeVisibleAsync();
                await admin.CheckStateAsync("order-deleted");
            },
            admin);
        admin.AssertNoProblems();
    }
}
