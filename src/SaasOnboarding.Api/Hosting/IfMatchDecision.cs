namespace SaasOnboarding.Api.Hosting;

/// <summary>The version a write must find (null: any), or why the write must not happen.</summary>
public sealed record IfMatchDecision(string? ExpectedVersion, bool IsStale = false, bool IsMissing = false)
{
    public static IfMatchDecision Stale { get; } = new(null, IsStale: true);

    public static IfMatchDecision Missing { get; } = new(null, IsMissing: true);
}
