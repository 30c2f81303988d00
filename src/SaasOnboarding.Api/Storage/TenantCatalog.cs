namespace SaasOnboarding.Api.Storage;

/// <summary>The parent database: tenants, tenant-user mappings and the onboarding journal.</summary>
public interface ITenantCatalog
{
    /// <summary>
    /// Creates the schema, or brings it to the latest version (docs/schema-changes.md). Idempotent; called at start,
    /// before anything is served, and by the <c>migrate</c> command.
    /// </summary>
    Task<SchemaUpgrade> InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a tenant; false when another tenant already has the name in the form <see cref="TenantNames.Normalize"/> gives it.</summary>
    Task<bool> TryInsertTenantAsync(Tenant tenant, CancellationToken cancellationToken);

    Task<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// The tenants <paramref name="query"/> matches, in its order. A page token names its query's
    /// <see cref="TenantQuery.Fingerprint"/>: one issued for another query is an <see cref="InvalidPageTokenException"/>.
    /// </summary>
    Task<Page<Tenant>> ListTenantsAsync(TenantQuery query, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Tenants ordered by name, those in <paramref name="status"/> or every listed one, matching <paramref name="search"/>.</summary>
    Task<Page<Tenant>> ListTenantsAsync(int limit, string? nextToken, string? search, TenantStatus? status, CancellationToken cancellationToken) =>
        ListTenantsAsync(new TenantQuery(search, status), limit, nextToken, cancellationToken);

    /// <summary>How many tenants <paramref name="query"/> matches in all pages.</summary>
    Task<int> CountTenantsAsync(TenantQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the non-null fields of <paramref name="changes"/> and <c>UpdatedAt</c>, and nothing else, in one
    /// atomic write that also enforces the unique name. With <paramref name="expectedUpdatedAt"/> the write happens
    /// only if the stored <c>UpdatedAt</c> still equals it (compared inside the same write); otherwise
    /// <see cref="TenantUpdateOutcome.VersionMismatch"/> and nothing changes.
    /// </summary>
    /// <remarks>
    /// Every write that takes a <see cref="ChangeRecord"/> writes it in the same transaction, and only when the write
    /// changes something (an answer other than <see cref="TenantUpdateOutcome.Updated"/> records nothing). The
    /// overloads without one write none.
    /// </remarks>
    Task<TenantUpdateResult> UpdateTenantAsync(
        string tenantId, TenantChanges changes, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken);

    Task<TenantUpdateResult> UpdateTenantAsync(
        string tenantId, TenantChanges changes, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken) =>
        UpdateTenantAsync(tenantId, changes, updatedAt, expectedUpdatedAt, null, cancellationToken);

    /// <summary>Sets the status and <c>UpdatedAt</c>, with the same version check as <c>UpdateTenantAsync</c>.</summary>
    Task<TenantUpdateResult> SetTenantStatusAsync(
        string tenantId, TenantStatus status, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken);

    Task<TenantUpdateResult> SetTenantStatusAsync(
        string tenantId, TenantStatus status, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken) =>
        SetTenantStatusAsync(tenantId, status, updatedAt, expectedUpdatedAt, null, cancellationToken);

    /// <summary>
    /// Sets the status and the offboarding (<paramref name="offboarding"/>, or none: null clears it) and
    /// <c>UpdatedAt</c>, with the same version check as <c>UpdateTenantAsync</c>.
    /// </summary>
    Task<TenantUpdateResult> SetOffboardingAsync(
        string tenantId, TenantStatus status, TenantOffboarding? offboarding, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, ChangeRecord? record, CancellationToken cancellationToken);

    Task<TenantUpdateResult> SetOffboardingAsync(
        string tenantId, TenantStatus status, TenantOffboarding? offboarding, DateTimeOffset updatedAt, DateTimeOffset? expectedUpdatedAt, CancellationToken cancellationToken) =>
        SetOffboardingAsync(tenantId, status, offboarding, updatedAt, expectedUpdatedAt, null, cancellationToken);

    /// <summary>
    /// The last step of a purge, one atomic write: a tenant in <see cref="TenantStatus.Purging"/> loses its mappings
    /// and contact details, its name key becomes a tombstone's (<see cref="TenantNames.TombstoneSeparator"/>: the
    /// name is free again) and its status <see cref="TenantStatus.Purged"/>; id, name, tier, dates and offboarding
    /// stay. A tenant in any other status is left as it is, so it is idempotent; <paramref name="record"/> is written
    /// with the tombstone, so only once.
    /// </summary>
    Task WriteTombstoneAsync(string tenantId, DateTimeOffset updatedAt, ChangeRecord? record, CancellationToken cancellationToken);

    Task WriteTombstoneAsync(string tenantId, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        WriteTombstoneAsync(tenantId, updatedAt, null, cancellationToken);

    /// <summary>
    /// Removes the tenant, its mappings and its outbox events (a registration that is undone emits nothing). Idempotent.
    /// </summary>
    Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Adds or replaces the mapping for <see cref="TenantUserMapping.UserName"/>.</summary>
    Task UpsertTenantUserAsync(TenantUserMapping mapping, ChangeRecord? record, CancellationToken cancellationToken);

    Task UpsertTenantUserAsync(TenantUserMapping mapping, CancellationToken cancellationToken) => UpsertTenantUserAsync(mapping, null, cancellationToken);

    Task<TenantUserMapping?> GetTenantUserAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The tenant's mappings, a page at a time (an empty page for a tenant without any, or none).</summary>
    Task<Page<TenantUserMapping>> ListTenantUsersAsync(string tenantId, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <c>Enabled</c> on every mapping of the tenant; answers the user names of its mappings. <paramref name="record"/>
    /// is written in the same transaction, with, for each mapping whose state this changes, the event
    /// <paramref name="changeEvents"/> holds under its user name (<see cref="ChangeRecord.WithEventsOf"/>).
    /// </summary>
    Task<IReadOnlyList<string>> SetTenantUsersEnabledAsync(
        string tenantId, bool enabled, ChangeRecord? record, IReadOnlyDictionary<string, LifecycleEvent>? changeEvents, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> SetTenantUsersEnabledAsync(string tenantId, bool enabled, CancellationToken cancellationToken) =>
        SetTenantUsersEnabledAsync(tenantId, enabled, null, null, cancellationToken);

    /// <summary>Idempotent.</summary>
    Task RemoveTenantUserAsync(string userName, ChangeRecord? record, CancellationToken cancellationToken);

    Task RemoveTenantUserAsync(string userName, CancellationToken cancellationToken) => RemoveTenantUserAsync(userName, null, cancellationToken);

    /// <summary>
    /// Writes <paramref name="record"/> alone, in one transaction: for what has no catalog write of its own to go with
    /// (a refused request, a sign-in failure, a change made only in the identity provider or a tenant's database).
    /// </summary>
    Task RecordAsync(ChangeRecord record, CancellationToken cancellationToken);

    /// <summary>Audit entries matching <paramref name="query"/>, newest first (time, then id, both descending).</summary>
    Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, int limit, string? nextToken, CancellationToken cancellationToken);

    /// <summary>Deletes the audit entries older than <paramref name="before"/>; answers how many (retention).</summary>
    Task<int> PruneAuditAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The tenant's outbox events after <paramref name="afterSequence"/>, in sequence order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<OutboxEvent>> ListOutboxAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken);

    Task WriteJournalAsync(OnboardingJournal journal, CancellationToken cancellationToken);

    /// <summary>Idempotent.</summary>
    Task DeleteJournalAsync(string tenantId, CancellationToken cancellationToken);

    Task<IReadOnlyList<OnboardingJournal>> ListJournalsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's access revision: how many times a change to its status, tier or users' access was committed
    /// (<see cref="BumpAccessRevisionAsync"/>), 0 before the first. Read at every authenticated request of the
    /// tenant's users; a store that one process serves (the embedded store) keeps none and answers 0.
    /// </summary>
    Task<long> GetAccessRevisionAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Moves the tenant's access revision on, in one atomic write (none in a store that keeps none).</summary>
    Task BumpAccessRevisionAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether several instances share this store (PostgreSQL, Fauna), so that what one instance counts must be
    /// counted here; the embedded store serves one process.
    /// </summary>
    bool SharedByInstances => true;

    /// <summary>
    /// Takes up to <paramref name="wanted"/> of the <paramref name="permitLimit"/> permits of <paramref name="key"/>'s
    /// window starting at <paramref name="windowStart"/>, in one conditional write: answers how many it took (0 when
    /// the window's are spent). A later window starts the count again; a caller whose clock names an earlier window
    /// than the stored one is charged to the stored one.
    /// </summary>
    Task<int> TakePermitsAsync(string key, DateTimeOffset windowStart, int permitLimit, int wanted, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/>, in one conditional write: when no one holds it, when its expiry is at or before
    /// <paramref name="now"/>, or when <paramref name="holder"/> holds it already (a renewal). False, and nothing
    /// written, while another holder's lease runs.
    /// </summary>
    Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>A cheap round trip for readiness checks.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
