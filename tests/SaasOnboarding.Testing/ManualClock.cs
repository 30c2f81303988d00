namespace SaasOnboarding.Testing;

/// <summary>A clock that moves only when a test advances it, starting at the real time (so that tokens it dates stay valid).</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private long _advancedTicks;

    public override DateTimeOffset GetUtcNow() => _start + TimeSpan.FromTicks(Interlocked.Read(ref _advancedTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _advancedTicks, by.Ticks);
}
