using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SaasOnboarding.Identity.Tests.Local;

/// <summary>
/// The local provider locks an account after five failed sign-ins in a row, as Cognito does: for one second, then
/// twice as long for each further failure; a right password while locked fails the same way; success resets it.
/// Time is a manual clock, so nothing sleeps.
/// </summary>
public sealed class SignInLockoutTests(SignInLockoutTests.App app) : IClassFixture<SignInLockoutTests.App>
{
    private readonly ManualClock _clock = app.Clock;
    private readonly App _app = app;

    /// <summary>One app for the class, on a manual clock; each test locks a tenant admin of its own.</summary>
    public sealed class App : AppFactory
    {
        public App()
            : this(new ManualClock())
        {
        }

        private App(ManualClock clock)
            : base(null, null, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)))
        {
            Clock = clock;
        }

        public ManualClock Clock { get; }
    }

    [Fact]
    public async Task FiveFailuresInARowLockTheAccountForAGrowingWhile()
    {
        var tenant = await _app.OnboardAndSignInAsync();
        using var client = _app.CreateClient();
        Task<HttpResponseMessage> SignInAsync(string password) =>
            client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password, pool = "tenant" });

        // Four failures, then success: the count starts again.
        for (var i = 0; i < 4; i++)
        {
            await (await SignInAsync("Wrong-Passw0rd!")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        await (await SignInAsync(ApiClient.NewPassword)).ShouldBe(HttpStatusCode.OK);

        // Five in a row: locked, and the right password is refused as a wrong one is.
        for (var i = 0; i < 5; i++)
        {
            await (await SignInAsync("Wrong-Passw0rd!")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        var locked = await (await SignInAsync(ApiClient.NewPassword)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("Not authorized", locked.GetProperty("title").GetString());
        var authenticator = _app.Services.GetRequiredService<SaasOnboarding.Api.Identity.IAuthenticator>();
        var refused = await Assert.ThrowsAsync<SaasOnboarding.Api.Identity.DirectoryException>(() =>
            authenticator.SignInAsync(SaasOnboarding.Api.Identity.UserPool.Tenant, tenant.AdminUserName, ApiClient.NewPassword, default));
        Assert.Equal(("Password attempts exceeded", SaasOnboarding.Api.Identity.DirectoryError.NotAuthorized), (refused.Message, refused.Error));

        // After the first lockout (one second), one more failure locks it for two.
        _clock.Advance(TimeSpan.FromSeconds(1.1));
        await (await SignInAsync("Wrong-Passw0rd!")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        await (await SignInAsync(ApiClient.NewPassword)).ShouldBeProblem(HttpStatusCode.Unauthorized);

        // Once it ends, the right password signs in and resets the count: four failures do not lock it again.
        _clock.Advance(TimeSpan.FromSeconds(0.6));
        await (await SignInAsync(ApiClient.NewPassword)).ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 4; i++)
        {
            await (await SignInAsync("Wrong-Passw0rd!")).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        await (await SignInAsync(ApiClient.NewPassword)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLockoutIsPerUserAndPool()
    {
        var tenant = await _app.OnboardAndSignInAsync();
        using var client = _app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await (await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = "Wrong-Passw0rd!" })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        }

        await (await client.PostAsJsonAsync("/auth/signin", new { userName = tenant.AdminUserName, password = ApiClient.NewPassword })).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await _app.SystemAdminSignInAsync();
    }
}
