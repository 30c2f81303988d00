namespace SaasOnboarding.Api.Storage;

/// <summary>Creates, removes and opens child databases.</summary>
public interface ITenantDatabases
{
    /// <summary>Creates the child database with its product and order schema, completely or not at all.</summary>
    Task CreateAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Removes the child database. Idempotent.</summary>
    Task DeleteAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the child database to the latest schema version (docs/schema-changes.md); a database at it is left
    /// as it is. Null when the tenant has no child database. Open does the same on a tenant's first use after a
    /// start; the <c>migrate</c> command calls this.
    /// </summary>
    Task<SchemaUpgrade?> UpgradeAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// A client bound to this tenant's child database only; checks its schema version at first use. Its changes
    /// write the entries <paramref name="audit"/> makes; without it (the import of a registration) none.
    /// </summary>
    ITenantDatabase Open(string tenantId, DataPlaneAudit? audit = null);

    /// <summary>
    /// Whether this store's clients read the tenant's access revision with their own work and check it against the
    /// request's <see cref="IAccessRevisionCheck"/> (PostgreSQL, where the catalog and the tenant schemas are one
    /// database). A store that cannot (Fauna: a tenant's child database is another database) leaves the request to
    /// read it first; the embedded store keeps none.
    /// </summary>
    bool ChecksAccessRevision => false;

    /// <summary>
    /// <see cref="Open(string, DataPlaneAudit?)"/>, checking each operation's access revision against
    /// <paramref name="access"/> when the store <see cref="ChecksAccessRevision"/>.
    /// </summary>
    ITenantDatabase Open(string tenantId, DataPlaneAudit? audit, IAccessRevisionCheck access) => Open(tenantId, audit);

    /// <summary>
    /// Whether a product or order of this store can have <paramref name="id"/> as its id, so that an import keeps it.
    /// The SQL stores take any id of up to <see cref="MaxRecordIdLength"/> characters; Fauna only the ids it makes
    /// itself (a 64-bit number in digits).
    /// </summary>
    bool KeepsRecordId(string id);

    /// <summary>The longest product or order id any store takes.</summary>
    const int MaxRecordIdLength = 100;
}
