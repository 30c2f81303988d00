namespace SaasOnboarding.Domain;

/// <summary>When a registration journal counts as abandoned, and what follows for one.</summary>
public static class RegistrationJournals
{
    /// <summary>
    /// Whether a journal written by <paramref name="journalInstanceId"/> and last moved at
    /// <paramref name="updatedAt"/> is abandoned, seen by <paramref name="thisInstanceId"/> at
    /// <paramref name="now"/>: never this instance's own (its registrations are live or already undone), and
    /// another's once it has not moved for <paramref name="abandonAfter"/>.
    /// </summary>
    public static bool IsAbandoned(string journalInstanceId, string thisInstanceId, DateTimeOffset updatedAt, DateTimeOffset now, TimeSpan abandonAfter) =>
        journalInstanceId != thisInstanceId && now - updatedAt >= abandonAfter;

    /// <summary>
    /// What follows for a journal as above whose tenant record is now in <paramref name="tenantStatus"/> (null:
    /// no record). A tenant past provisioning reached the end; one still provisioning, or with no record (the
    /// first step may have started without writing it), is undone.
    /// </summary>
    public static RecoveryAction Decide(bool abandoned, TenantStatus? tenantStatus) =>
        !abandoned ? RecoveryAction.Leave
        : tenantStatus is { } status && status != TenantStatus.Provisioning ? RecoveryAction.DropJournal
        : RecoveryAction.Undo;
}
