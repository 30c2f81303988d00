using System.Threading.RateLimiting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// A fixed-window limit counted in the catalog, so that every instance on the store spends one budget: the window's
/// permits for <c>key</c> are a counter row, and an instance leases a slice of them at a time with one conditional
/// write (<see cref="ITenantCatalog.TakePermitsAsync"/>), then spends the slice in memory. Most requests cost no round
/// trip; the permits a slice leaves unspent on one instance when the window ends are the only budget lost, which
/// <see cref="SliceOf"/> keeps under 10 % for a few instances. Never more than the budget is granted.
/// </summary>
public sealed class SharedWindowLimiter(ITenantCatalog catalog, string key, int permitLimit, TimeSpan window, TimeProvider time) : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);
    private readonly Lock _lock = new();
    private readonly int _slice = SliceOf(permitLimit);
    private DateTimeOffset _windowStart;
    private int _remaining;
    private long _lastUsedTicks = time.GetTimestamp();

    /// <summary>A twentieth of the budget, at least one permit: with three instances, at most a tenth left unspent.</summary>
    public static int SliceOf(int permitLimit) => Math.Max(1, permitLimit / 20);

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _lastUsedTicks));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        TrySpend(permitCount, WindowStart()) ? Granted : new Lease(false, RetryAfter());

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var windowStart = WindowStart();
        if (TrySpend(permitCount, windowStart))
        {
            return Granted;
        }

        var granted = await catalog.TakePermitsAsync(key, windowStart, permitLimit, Math.Max(_slice, permitCount), cancellationToken);
        lock (_lock)
        {
            if (_windowStart != windowStart)
            {
                _windowStart = windowStart;
                _remaining = 0;
            }

            _remaining += granted;
        }

        return TrySpend(permitCount, windowStart) ? Granted : new Lease(false, RetryAfter());
    }

    private bool TrySpend(int permitCount, DateTimeOffset windowStart)
    {
        Interlocked.Exchange(ref _lastUsedTicks, time.GetTimestamp());
        lock (_lock)
        {
            if (_windowStart != windowStart || _remaining < permitCount)
            {
                return false;
            }

            _remaining -= permitCount;
            return true;
        }
    }

    /// <summary>Windows are aligned on the clock (multiples of the window since the epoch), so every instance agrees on them.</summary>
    private DateTimeOffset WindowStart()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % window.Ticks), TimeSpan.Zero);
    }

    private TimeSpan RetryAfter() => WindowStart() + window - time.GetUtcNow();

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
