using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SaasOnboarding.Testing;

/// <summary>
/// The real app on its defaults with a clock that stands still until a test advances it, so that a test computes
/// the TOTP codes the app expects, and moves past lockouts and expiries, without sleeping. The clock starts
/// <see cref="Lead"/> behind the real time, and tokens live a day: the tokens the app dates by it stay valid to
/// JwtBearer's check, which reads the real clock, while tests advance it by less than that in all.
/// </summary>
public sealed class ClockedApp : AppFactory
{
    public ClockedApp()
        : this((IDictionary<string, string?>?)null)
    {
    }

    /// <summary>How far the clock may be advanced, in all, before the tokens it dates are refused as not yet valid.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMinutes(50);

    private ClockedApp(IDictionary<string, string?>? settings)
        : this(new FakeTimeProvider(DateTimeOffset.UtcNow - Lead), WithLongTokens(settings))
    {
    }

    /// <summary>An app of a test's own, with settings changed.</summary>
    public static ClockedApp With(IDictionary<string, string?> settings) => new(settings);

    private ClockedApp(FakeTimeProvider clock, IDictionary<string, string?>? settings)
        : base(null, settings, services => services.AddSingleton<TimeProvider>(clock)) => Clock = clock;

    public FakeTimeProvider Clock { get; }

    private static Dictionary<string, string?> WithLongTokens(IDictionary<string, string?>? settings) =>
        new(settings ?? new Dictionary<string, string?>()) { ["Identity:Local:TokenLifetime"] = "1.00:00:00" };

    /// <summary>The code an authenticator app holding <paramref name="secret"/> shows at the app's time.</summary>
    public string CodeFor(string secret) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(Clock.GetUtcNow().UtcDateTime);
}
