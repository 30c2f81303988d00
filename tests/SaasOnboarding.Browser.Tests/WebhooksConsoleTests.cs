using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static SaasOnboarding.Browser.Tests.TenantJourneyTests;

namespace SaasOnboarding.Browser.Tests;

/// <summary>
/// The provider console's Webhooks page against a real receiver on loopback: a bad address is refused beside its
/// field (as the page checks it and as the API does); an endpoint is added and its signing secret shown once (gone
/// after navigating away and back); the test event arrives signed with that secret; a tenant's change shows in the
/// delivery log as delivered; a replay delivers it again under its own id; the endpoint is deleted after confirming.
/// Every state passes axe-core, at 1440 and 375 px; events and outcomes are words, never the API's types.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class WebhooksConsoleTests(BrowserApp app)
{
    /// <summary>What the page must never show: the API's event types and outcome codes.</summary>
    private static readonly string[] ProtocolWords = ["saasonboarding.", "tier_changed", "webhook.test", "retrying"];

    static WebhooksConsoleTests() => SetDefaultExpectTimeout(10_000);

    [Theory]
    [InlineData(1440)]
    [InlineData(375)]
    public async Task StaffAddAWebhookSeeItsSecretOnceAndFollowItsSignedDeliveriesReplayAndDeleteIt(int width)
    {
        using var receiver = new WebhookReceiver();
        var tenant = await app.OnboardAsync("Hooked " + Guid.NewGuid().ToString("N")[..6]);
        await using var staff = await BrowserPage.OpenAsync(app, $"webhooks-{width}", BrowserPage.At(width));
        await staff.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseUrl.GetLeftPart(UriPartial.Authority) });
        var page = staff.Page;
        var host = new Uri(receiver.Url).Authority;
        string secret = null!;

        async Task AssertInWordsAsync()
        {
            foreach (var word in ProtocolWords)
            {
                await Expect(page.Locator("main")).Not.ToContainTextAsync(word);
            }

            await staff.AssertAccessibleAsync();
        }

        await BrowserPage.StepsAsync(
            async () =>
            {
                await SignInAsStaffAsync(staff);
                await GoAsync(staff, "Webhooks");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator("#site-nav a[aria-current='page']")).ToHaveTextAsync("Webhooks");
                await AssertInWordsAsync();

                // A bad address and no event ticked: each error beside its field, nothing sent.
                var address = page.GetByLabel("Address");
                await page.GetByLabel("Only the events I tick").CheckAsync();
                await Expect(page.GetByLabel("A company's plan changed")).ToBeVisibleAsync();
                await address.FillAsync("billing example");
                await address.BlurAsync();
                await Expect(page.Locator("#new-webhook-url-error")).ToHaveTextAsync("Must be a whole address, such as https://billing.example.com/hooks.");
                await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
                await Expect(address).ToHaveAttributeAsync("aria-invalid", "true");
                await Expect(address).ToBeFocusedAsync();
                await Expect(page.Locator("#new-webhook-eventTypes-error")).ToHaveTextAsync("Tick at least one event, or choose every event.");
                await AssertInWordsAsync();

                // The API's own refusal lands beside the field too.
                await address.FillAsync("https://user:secret@billing.example.com/hooks");
                await page.GetByLabel("Every event, and kinds added later").CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
                await Expect(page.Locator("#new-webhook-url-error")).ToHaveTextAsync("Must not hold a user name or password.");
                await Expect(page.Locator("#new-webhook-eventTypes-error")).ToBeHiddenAsync();
                await Expect(address).ToBeFocusedAsync();
                await AssertInWordsAsync();

                // Added: the secret is shown this once, with a copy button.
                await address.FillAsync(receiver.Url);
                await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"The signing secret of {host}" })).ToBeFocusedAsync();
                await Expect(page.Locator("#webhook-secret-card")).ToContainTextAsync("you will not see it again");
                secret = (await page.Locator("#webhook-secret").TextContentAsync())!;
                Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
                await page.GetByRole(AriaRole.Button, new() { Name = "Copy secret" }).ClickAsync();
                await Expect(page.Locator("#webhook-secret-card [role=status]")).ToHaveTextAsync("Copied.");
                Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
                var row = page.Locator("#webhooks-table tbody tr").Filter(new() { HasTextString = receiver.Url });
                await Expect(row).ToHaveCountAsync(1);
                await Expect(row.Locator("td[data-label='Events']")).ToHaveTextAsync("Every event");
                await Expect(row.Locator("td[data-label='Last delivery']")).ToHaveTextAsync("Nothing sent yet");
                await staff.DocumentScreenshotAsync(staff.DocumentPrefix + "webhooks");
                await AssertInWordsAsync();

                // Away and back, the secret is gone: the page kept it nowhere.
                await row.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Webhook to {host}", Level = 1 })).ToBeVisibleAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "All webhooks" }).ClickAsync();
                await Expect(row).ToHaveCountAsync(1);
                await Expect(page.Locator("#webhook-secret")).ToHaveCountAsync(0);
                Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, await page.EvaluateAsync<string>("() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + location.href"), StringComparison.Ordinal);

                // The test event arrives signed with that secret; another secret would not match.
                await row.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
                await Expect(page.Locator(".notice")).ToHaveTextAsync("The test event was delivered: the address answered 204.");
                var test = Assert.Single(receiver.Accepted);
                Assert.Equal("saasonboarding.webhook.test", test.Type);
                Assert.True(test.SignatureIsValid(secret), "The test event's signature does not verify with the secret the page showed.");
                Assert.False(test.SignatureIsValid("whsec_" + Convert.ToBase64String(new byte[32])), "The signature verifies with another secret.");
                var log = page.Locator("#deliveries-table tbody tr");
                await Expect(log).ToHaveCountAsync(1);
                await Expect(log.First).ToContainTextAsync("Test event");
                await Expect(log.First.Locator("td[data-label='Outcome']")).ToHaveTextAsync("Delivered");
                await Expect(log.First.Locator("td[data-label='Answer']")).ToHaveTextAsync("HTTP 204");
                await AssertInWordsAsync();

                // A tenant's change is delivered by the dispatcher and shows in the log as delivered.
                using (var system = app.Client((await app.SystemAdminAsync()).IdToken))
                {
                    await (await system.PutAsJsonAsync($"/tenant/{tenant.TenantId}", new { tenantAddress = "2 Hook Lane" })).ShouldBe(HttpStatusCode.OK);
                }

                await WebhookReceiver.WaitUntilAsync(() => receiver.Of(tenant.TenantId).Count == 1, "the tenant's change at the receiver");
                var change = receiver.Of(tenant.TenantId)[0];
                Assert.Equal("saasonboarding.tenant.updated", change.Type);
                Assert.True(change.SignatureIsValid(secret));

                // The receiver has the event before the app logs the answer: "Refresh" once the log holds it.
                await WaitUntilLoggedAsync(new Uri(page.Url).Fragment.Split('/')[^1], change.Id);
                await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
                var changed = log.Filter(new() { HasTextString = "A company's details changed" });
                await Expect(changed).ToHaveCountAsync(1);
                await Expect(changed.Locator("td[data-label='Outcome']")).ToHaveTextAsync("Delivered");
                await Expect(changed.Locator("td[data-label='Company']")).ToHaveTextAsync(tenant.TenantId);
                await changed.ScrollIntoViewIfNeededAsync();
                await staff.DocumentScreenshotAsync(staff.DocumentPrefix + "webhook-deliveries");
                await AssertInWordsAsync();

                // Sent again: the receiver gets the same event (its id) a second time, and the log shows the attempt.
                await changed.GetByRole(AriaRole.Button, new() { Name = "Send again (A company's details changed" }).ClickAsync();
                await Expect(page.Locator(".notice")).ToHaveTextAsync("“A company's details changed” was delivered: the address answered 204.");
                await Expect(changed).ToHaveCountAsync(2);
                Assert.Equal([change.Id, change.Id], receiver.Of(tenant.TenantId).Select(received => received.Id));
                Assert.True(receiver.Of(tenant.TenantId)[1].SignatureIsValid(secret));
                await AssertInWordsAsync();

                // The endpoint stays selected through a reload; in the list its last delivery is in words.
                await page.ReloadAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Webhook to {host}", Level = 1 })).ToBeVisibleAsync();
                await Expect(log).ToHaveCountAsync(3);
                await page.GoBackAsync();
                await Expect(row.Locator("td[data-label='Last delivery']")).ToContainTextAsync("Delivered");
                await Expect(row.Locator("td[data-label='Last delivery']")).ToContainTextAsync("A company's details changed");
                await AssertInWordsAsync();

                // Deleted after confirming.
                await page.GoForwardAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Delete webhook" }).ClickAsync();
                var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Delete the webhook to {host}?" });
                await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
                await AssertInWordsAsync();
                await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete webhook" }).ClickAsync();
                await Expect(page.Locator(".notice")).ToHaveTextAsync($"The webhook to {host} is deleted.");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator(".paged-list")).Not.ToContainTextAsync(receiver.Url);
                await AssertInWordsAsync();
            },
            staff);

        using var client = app.Client((await app.SystemAdminAsync()).IdToken);
        var left = await client.GetFromJsonAsync<JsonElement>("/webhooks?limit=100");
        Assert.DoesNotContain(left.GetProperty("items").EnumerateArray(), endpoint => endpoint.GetProperty("url").GetString() == receiver.Url);
        staff.AssertNoProblems();
    }

    /// <summary>Waits until the delivery log of <paramref name="webhookId"/> holds an attempt of <paramref name="eventId"/>.</summary>
    private async Task WaitUntilLoggedAsync(string webhookId, string? eventId)
    {
        using var client = app.Client((await app.SystemAdminAsync()).IdToken);
        await WebhookReceiver.WaitUntilAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/webhooks/{webhookId}/deliveries")).GetProperty("items").EnumerateArray()
                .Any(delivery => delivery.GetProperty("eventId").GetString() == eventId),
            $"the delivery log of {webhookId} to hold the event {eventId}");
    }
}
