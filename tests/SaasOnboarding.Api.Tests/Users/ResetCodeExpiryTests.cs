using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Api.Tests.Users;

/// <summary>A forgot-password code dies with its lifetime, on an app whose clock the test moves.</summary>
public sealed class ResetCodeExpiryTests(ClockedApp app) : IClassFixture<ClockedApp>
{
    [Fact]
    public async Task ACodeIsRefusedOnceItsHourHasPassedAndANewOneWorks()
    {
        var tenant = await app.OnboardAsync();
        var userName = "late-" + tenant.TenantId[..8];
        await app.AddUserAndSignInAsync(tenant.AdminTokens.IdToken, userName);
        using var client = app.CreateClient();

        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName })).ShouldBe(HttpStatusCode.Accepted);
        var code = await CodeAsync(client, userName, count: 1);
        app.Clock.Advance(LocalPasswordResetCodes.Lifetime + TimeSpan.FromSeconds(1));
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code, newPassword = "L4te-Passw0rd!" })).ShouldNameFields("code");
        await app.SignInAsync(userName, ApiClient.NewPassword);

        await (await client.PostAsJsonAsync("/auth/forgot-password", new { userName })).ShouldBe(HttpStatusCode.Accepted);
        var fresh = await CodeAsync(client, userName, count: 2);
        app.Clock.Advance(LocalPasswordResetCodes.Lifetime - TimeSpan.FromMinutes(1));
        await (await client.PostAsJsonAsync("/auth/confirm-forgot-password", new { userName, code = fresh, newPassword = "L4te-Passw0rd!" })).ShouldBe(HttpStatusCode.NoContent);
        await app.SignInAsync(userName, "L4te-Passw0rd!");
    }

    /// <summary>The newest reset code in the dev mailbox once the user has had <paramref name="count"/> (the mail leaves after the answer).</summary>
    private static async Task<string> CodeAsync(HttpClient client, string userName, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var codes = (await client.GetFromJsonAsync<MailboxMessage[]>("/dev/mailbox?limit=500"))!
                .Where(m => m.UserName == userName && m.Subject == "Your password reset code")
                .ToList();
            if (codes.Count >= count)
            {
                return System.Text.RegularExpressions.Regex.Match(codes.OrderByDescending(m => m.SentAt).First().Body, "\\b[0-9]{6}\\b").Value;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"No reset code came for {userName}.");
    }
}
