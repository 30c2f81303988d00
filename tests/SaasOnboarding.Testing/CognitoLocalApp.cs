using Microsoft.AspNetCore.Hosting;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Testing;

/// <summary>
/// The real app with <c>Identity:Provider=Cognito</c> against cognito-local: its own operations and tenant pools,
/// app clients and system admin, embedded storage.
/// </summary>
public sealed class CognitoLocalApp : AppFactory, IAsyncLifetime
{
    private readonly CognitoLocalFixture _cognito = new(AdminPassword);

    public CognitoLocalApp()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With more settings, such as log levels.</summary>
    internal CognitoLocalApp(IDictionary<string, string?> settings)
        : this(settings, null)
    {
    }

    /// <summary>With services of the test's own, such as a clock it moves (a factory: a fixture type has one public constructor).</summary>
    public static CognitoLocalApp WithServices(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection> services) =>
        new(new Dictionary<string, string?>(), services);

    private CognitoLocalApp(IDictionary<string, string?> settings, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services)
        : base(
            null,
            new Dictionary<string, string?>(settings) { ["Identity:Provider"] = "Cognito" },
            collection =>
            {
                CognitoLocalFixture.UseTestCredentials(collection);
                services?.Invoke(collection);
            })
    {
    }

    public CognitoLocalFixture Cognito => _cognito;

    /// <inheritdoc />
    public override bool IdentityIsStandIn => true;

    /// <summary>
    /// Cognito emails the temporary password, and no test can read that inbox. So the test does what an
    /// administrator does to resend one: AdminSetUserPassword with a new temporary password, which leaves the user
    /// in FORCE_CHANGE_PASSWORD exactly as the emailed one does.
    /// </summary>
    public override async Task<string> TemporaryPasswordAsync(string userName)
    {
        var temporary = "Tmp-" + Guid.NewGuid().ToString("N")[..10] + "a1!";
        await _cognito.SetPasswordAsync(UserPool.Tenant, userName, temporary, permanent: false);
        return temporary;
    }

    /// <summary>
    /// cognito-local signs with keys of its own, which the tests do not hold: tokens come from the sign-in journey
    /// (a tenant user's first sign-in, or the seeded system admin's password).
    /// </summary>
    public override Task<Tokens> TokensForAsync(string userName, string pool = "tenant")
    {
        if (pool == "operations")
        {
            return userName == CognitoLocalFixture.AdminUserName
                ? this.SignInAsync(userName, AdminPassword, pool)
                : throw new NotSupportedException("Only the seeded system admin's password is known in the operations pool.");
        }

        return this.FirstSignInAsync(userName, pool);
    }

    public Task InitializeAsync() => _cognito.InitializeAsync();

    Task IAsyncLifetime.DisposeAsync()
    {
        _cognito.Dispose();
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _cognito.Settings())
        {
            builder.UseSetting(key, value);
        }
    }
}
