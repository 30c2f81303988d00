namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A request's access decision as a tenant database sees it when the store reads the tenant's access revision
/// (<see cref="ITenantCatalog.GetAccessRevisionAsync"/>) in the round trip of its own work instead of the request
/// reading it first (<see cref="ITenantDatabases.ChecksAccessRevision"/>). The database knows no caller, role or
/// cache: it compares what it read with <see cref="Expected"/> and hands a difference back.
/// </summary>
public interface IAccessRevisionCheck
{
    /// <summary>
    /// The revision the request's caller was allowed at, not read again yet; null when the request read it before
    /// deciding, and the database has nothing to check.
    /// </summary>
    long? Expected { get; }

    /// <summary>
    /// The database read <paramref name="seen"/>, not <see cref="Expected"/>: the request is decided again at that
    /// revision. Returns when the decision is the same as before (<see cref="Expected"/> is then
    /// <paramref name="seen"/>, and what the database read stands); throws when it is not, so that nothing the
    /// database read leaves.
    /// </summary>
    Task ConfirmAsync(long seen, CancellationToken cancellationToken);
}
