namespace SaasOnboarding.Api.Registration;

public sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary>
    /// A journal entry of another instance that has not moved for this long is taken as abandoned by a crash.
    /// Keep it above the slowest registration when instances share a store.
    /// </summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the reconciler looks again after the pass it makes at start.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);
}
