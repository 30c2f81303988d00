using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Testing;

/// <summary>
/// The real app in-process: real SQLite files in a temporary directory, the local identity provider, real tokens.
/// Subclasses (other stores, other identity providers) change the settings and how a temporary password is read.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Passw0rd!";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDirectory;
    private readonly ConcurrentDictionary<UserPool, Lazy<LocalTokenMinter>> _minters = new();
    private bool _started;
    private readonly Lock _perTestGate = new();
    private PerTest? _perTest;

    public AppFactory()
        : this(null)
    {
    }

    public AppFactory(string? dataDirectory, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("saas-test-").FullName;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Embedded",
            ["Storage:Embedded:DataDirectory"] = DataDirectory,
            ["Identity:Provider"] = "Local",
            ["Identity:Local:DataDirectory"] = DataDirectory,
            ["Identity:Local:AdminPassword"] = AdminPassword,

            // A configured issuer, which the tests' own tokens name; unset, it would follow the listening address.
            ["Identity:Local:IssuerBaseUrl"] = "http://localhost:5080",
            ["RateLimits:RegistrationPermits"] = "1000000",
            ["RateLimits:AuthPermits"] = "1000000",
            ["RateLimits:TenantPermits:Basic"] = "1000000",
            ["RateLimits:TenantPermits:Standard"] = "1000000",
            ["RateLimits:TenantPermits:Premium"] = "1000000",
            ["RateLimits:TenantPermits:Platinum"] = "1000000",
            ["RateLimits:ManagementCallerPermits"] = "1000000",
            ["RateLimits:ManagementTenantPermits"] = "1000000",
            ["Registration:AbandonAfter"] = "00:00:00",

            // The periodic passes start as soon as the server has (CreateHost waits for them), as if before any test's request.
            [BackgroundPasses.DelaySetting] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>The app's settings: the defaults above with the subclass's changes.</summary>
    protected IReadOnlyDictionary<string, string?> AppSettings => _settings;

    /// <summary>A client of the app (the in-process test server here; <see cref="AotApp"/> answers one of its child process).</summary>
    public new virtual HttpClient CreateClient() => PerTestApp()?.CreateClient() ?? base.CreateClient();

    /// <summary>The app's services (in a mutation run, those of the running test's own app: see <see cref="NewAppPerTest"/>).</summary>
    public override IServiceProvider Services => PerTestApp()?.Services ?? base.Services;

    /// <summary>The host environment the app runs in: Development, as <c>dotnet run</c> does, unless a test says otherwise.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>
    /// PBKDF2 iterations of the local provider's password hashes in a test app. The app ships ASP.NET Core
    /// Identity's default (100,000, tens of milliseconds of CPU per hash, by design); tests hash thousands of
    /// passwords and prove nothing more by paying that, so their apps hash with fewer. The shipped setting is proved
    /// by PasswordHashingTests, with <see cref="ProductionPasswordHashing"/>.
    /// </summary>
    public const int TestHashIterations = 1_000;

    /// <summary>True: the app hashes passwords with the shipped settings instead of <see cref="TestHashIterations"/>.</summary>
    public bool ProductionPasswordHashing { get; init; }

    /// <summary>Set by <see cref="EnableFaults"/>: the ports then fail on demand.</summary>
    public FaultPlan? Faults { get; private set; }

    /// <summary>Set by <see cref="EnableTelemetry"/>: the spans and metrics the app exported.</summary>
    public TelemetryCapture? Telemetry { get; private set; }

    /// <summary>Every log line the app wrote, for tests that look for secrets in logs.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>
    /// True for a stand-in identity provider (cognito-local) that does not enforce some of the sign-in rules the
    /// real one does (see docs/identity-cognito.md): tests then check the app's own enforcement instead of the provider's.
    /// </summary>
    public virtual bool IdentityIsStandIn => false;

    /// <summary>
    /// Wraps the storage and identity ports in fault proxies driven by <see cref="Faults"/>. Must be called before
    /// the app starts (a test class's constructor runs before its first request).
    /// </summary>
    public FaultPlan EnableFaults()
    {
        if (Faults is null)
        {
            if (_started)
            {
                throw new InvalidOperationException("Faults must be enabled before the app starts.");
            }

            Faults = new FaultPlan();
        }

        return Faults;
    }

    /// <summary>
    /// Registers the OpenTelemetry SDK with in-memory exporters (<see cref="TelemetryCapture"/>), as an OTLP endpoint
    /// setting would with OTLP. Must be called before the app starts.
    /// </summary>
    public TelemetryCapture EnableTelemetry()
    {
        if (Telemetry is null)
        {
            if (_started)
            {
                throw new InvalidOperationException("Telemetry must be enabled before the app starts.");
            }

            Telemetry = new TelemetryCapture();
        }

        return Telemetry;
    }

    /// <summary>
    /// Tokens for a user the directory holds, as a sign-in of that user would answer them, without signing in: for the
    /// local identity provider they are minted (<see cref="LocalTokenMinter"/>) with the pool's key from the data
    /// directory and the claims the directory holds now, so no password is hashed or verified. The app still checks
    /// the user against the directory at each request. There is no refresh token. Fixtures of identity providers
    /// whose keys the tests do not hold override this with the sign-in journey.
    /// </summary>
    /// <param name="pool"><c>tenant</c> or <c>operations</c>, as <c>/auth/signin</c> takes it.</param>
    public virtual async Task<Tokens> TokensForAsync(string userName, string pool = "tenant")
    {
        if (Services.GetService<LocalUserDirectory>() is not { } directory)
        {
            throw new InvalidOperationException("Only the local identity provider's tokens can be minted: override TokensForAsync with the sign-in journey.");
        }

        var userPool = pool == "operations" ? UserPool.Operations : UserPool.Tenant;
        var user = await directory.GetUserAsync(userPool, userName, default)
            ?? throw new InvalidOperationException($"The {pool} pool holds no user {userName}: its sign-in would fail, and a minted token would be refused.");
        if (!user.Enabled)
        {
            throw new InvalidOperationException($"{userName} is disabled: its sign-in would fail.");
        }

        // The groups a sign-in names: a tenant user is in its tenant's group, the seeded system admin in SystemAdmins.
        var group = userPool == UserPool.Tenant ? user.TenantId : "SystemAdmins";
        var groups = group is not null && await IsMemberAsync(directory, userPool, group, userName) ? new[] { group } : [];
        var options = Services.GetRequiredService<IOptions<LocalIdentityOptions>>().Value;
        var minted = new MintedUser(user.UserName, user.Email, user.TenantId, user.UserRole, groups, Guid.NewGuid().ToString());
        var now = (Services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var minter = _minters.GetOrAdd(userPool, keyPool => new Lazy<LocalTokenMinter>(() =>
        {
            // The pool's key file is made at its first use, as the pool's first sign-in would make it.
            _ = Services.GetRequiredService<LocalSigningKey>().For(keyPool);
            var issuer = Services.GetRequiredService<LocalTokenIssuer>().IssuerOf(keyPool);
            var keyFile = keyPool == UserPool.Operations ? LocalTokenMinter.OperationsKeyFile : LocalTokenMinter.TenantKeyFile;
            return new LocalTokenMinter(Services.GetRequiredService<LocalIdentityDatabase>().DataDirectory, keyFile, issuer.Issuer, issuer.ClientId);
        })).Value;
        return new Tokens(
            minter.IdToken(minted, now, options.TokenLifetime),
            minter.AccessToken(minted, now, options.TokenLifetime),
            RefreshToken: null,
            (int)options.TokenLifetime.TotalSeconds,
            "Bearer");
    }

    /// <summary>
    /// The temporary password mailed to a new user: from the dev mailbox, which serves the newest 500 messages. An app
    /// that many test classes share mails more than that, so a message beyond them is read from the mailbox's table.
    /// </summary>
    public virtual async Task<string> TemporaryPasswordAsync(string userName)
    {
        using var client = CreateClient();
        var messages = await client.GetFromJsonAsync<MailboxMessage[]>("/dev/mailbox?limit=500");
        return messages!.FirstOrDefault(message => message.UserName == userName)?.TemporaryPassword
            ?? LocalMailbox.TemporaryPassword(DataDirectory, userName);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        _started = true;
        builder.ConfigureTestServices(services =>
        {
            if (!ProductionPasswordHashing)
            {
                services.Configure<PasswordHasherOptions>(options => options.IterationCount = TestHashIterations);
            }

            _services?.Invoke(services);
            Telemetry?.Register(services);
            if (Faults is { } plan)
            {
                services.WrapWithFaults<global::SaasOnboarding.Api.Storage.ITenantCatalog>(plan);
                services.WrapWithFaults<global::SaasOnboarding.Api.Storage.ITenantDatabases>(plan);
                services.WrapWithFaults<global::SaasOnboarding.Api.Identity.IUserDirectory>(plan);
            }
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        host.Services.GetService<BackgroundPasses>()?.Started.Wait(TimeSpan.FromMinutes(1));
        HostCount.InProcessStarted();
        Telemetry?.Started(host.Services);
        return host;
    }

    private static async Task<bool> IsMemberAsync(LocalUserDirectory directory, UserPool pool, string group, string userName)
    {
        string? nextToken = null;
        do
        {
            Page<DirectoryUser> page;
            try
            {
                page = await directory.ListUsersInGroupAsync(pool, group, 60, nextToken, default);
            }
            catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
            {
                return false;
            }

            if (page.Items.Any(member => member.UserName == userName))
            {
                return true;
            }

            nextToken = page.NextToken;
        }
        while (nextToken is not null);
        return false;
    }

    /// <summary>
    /// In a mutation run (<see cref="NewAppPerTest"/>): the app of the running test, started at the test's first use
    /// with this fixture's settings, services, logs and data directory, and replaced once a test of a collection
    /// marked <see cref="NewAppPerTest"/> has started (a class's own fixture, used only while its class runs, keeps
    /// its first). Null in an ordinary run, where this fixture is the app.
    /// </summary>
    private PerTest? PerTestApp()
    {
        if (!NewAppPerTest.Enabled)
        {
            return null;
        }

        lock (_perTestGate)
        {
            if (_perTest is { } current && current.Test == NewAppPerTest.CurrentTest)
            {
                return current;
            }

            _perTest?.Dispose();
            _perTest = new PerTest(this, NewAppPerTest.CurrentTest);
            return _perTest;
        }
    }

    /// <summary>The same app as its fixture would build (settings, services, logs), for one test.</summary>
    private sealed class PerTest(AppFactory fixture, long test) : WebApplicationFactory<Program>
    {
        public long Test { get; } = test;

        protected override void ConfigureWebHost(IWebHostBuilder builder) => fixture.ConfigureWebHost(builder);

        protected override IHost CreateHost(IHostBuilder builder) => fixture.CreateHost(builder);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _perTest?.Dispose();
        }

        base.Dispose(disposing);
        if (disposing)
        {
            foreach (var minter in _minters.Values.Where(minter => minter.IsValueCreated))
            {
                minter.Value.Dispose();
            }
        }

        if (disposing && _ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is harmless.
            }
        }
    }
}

public sealed record MailboxMessage(string To, string Subject, string Body, string UserName, string? TemporaryPassword, DateTimeOffset SentAt);
