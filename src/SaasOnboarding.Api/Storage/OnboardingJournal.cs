namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The registration saga's journal: each step is recorded before it runs, so a crash leaves enough to undo it.
/// </summary>
public sealed record OnboardingJournal(
    string TenantId,
    string TenantName,
    string InstanceId,
    IReadOnlyList<string> StepsStarted,
    DateTimeOffset UpdatedAt);
