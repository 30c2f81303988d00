using System.Collections.Concurrent;

namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// One child database <c>tenant_&lt;id&gt;</c> per tenant, created with the parent key and hydrated through the parent
/// key scoped to the child as admin. Tenant requests then use the same key scoped as <c>server</c>.
/// </summary>
public sealed class FaunaTenantDatabases(FaunaClient client, ILogger<FaunaTenantDatabases> logger, TimeProvider? timeProvider = null) : ITenantDatabases
{
    /// <summary>The numbered migrations of a child database (<c>.fql</c>); new ones are hydrated at the latest version.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Storage/Fauna/Migrations/Tenant/");

    /// <summary>A collection that every version has: a child without a recorded version but with it is at version 1.</summary>
    internal const string SentinelCollection = "product";

    /// <summary>Child databases checked (and upgraded) since the start; each is checked once per process.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task>> _current = new(StringComparer.Ordinal);

    public async Task CreateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var name = TenantIds.DatabaseName(tenantId);
        var database = new Dictionary<string, object?> { ["name"] = name };
        try
        {
            await client.QueryAsync(
                Fql.Of($"""
                    Database.create({database})
                    null
                    """),
                "database_create",
                null,
                cancellationToken);
        }
        catch (FaunaConstraintException e)
        {
            // Someone else's database: never hydrate, and never delete it as compensation.
            throw new InvalidOperationException($"The child database of tenant {tenantId} exists already.", e);
        }

        try
        {
            // Separate queries, after the database exists: schema cannot be created and used in one transaction.
            await FaunaMigrator.CreateAsync(client, Migrations, new FaunaScope(name, "admin"), name, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Hydrating the child database of tenant {TenantId} failed; deleting it", tenantId);

            // Compensation must run even when the caller's token is what stopped hydration.
            await DeleteAsync(tenantId, CancellationToken.None);
            throw;
        }

        logger.LogInformation("Created and hydrated the child database of tenant {TenantId}", tenantId);
    }

    public async Task DeleteAsync(string tenantId, CancellationToken cancellationToken)
    {
        await client.QueryAsync(
            Fql.Of($"""
                Database.byName({TenantIds.DatabaseName(tenantId)})?.delete()
                null
                """),
            "database_delete",
            null,
            cancellationToken);
        _current.TryRemove(TenantIds.DatabaseName(tenantId), out _);
    }

    private async Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($"Database.byName({TenantIds.DatabaseName(tenantId)}) != null"), "database_exists", null, cancellationToken);
        return FaunaRead.Bool(answer.Data, "exists");
    }

    /// <summary>Null when the tenant has no child database; otherwise as <see cref="UpgradeExistingAsync"/>.</summary>
    public async Task<SchemaUpgrade?> UpgradeAsync(string tenantId, CancellationToken cancellationToken) =>
        await ExistsAsync(tenantId, cancellationToken) ? await UpgradeExistingAsync(tenantId, cancellationToken) : null;

    /// <summary>
    /// Through the parent key scoped to the child as admin, as hydration: schema changes need it. A missing child
    /// fails here, so a tenant's first use pays no separate existence check.
    /// </summary>
    private async Task<SchemaUpgrade> UpgradeExistingAsync(string tenantId, CancellationToken cancellationToken)
    {
        var name = TenantIds.DatabaseName(tenantId);
        var upgrade = await FaunaMigrator.UpgradeAsync(client, Migrations, new FaunaScope(name, "admin"), SentinelCollection, name, cancellationToken);
        if (upgrade.Changed)
        {
            logger.LogInformation("Upgraded the child database of tenant {TenantId} from version {From} to {To}", tenantId, upgrade.From, upgrade.To);
        }

        return upgrade;
    }

    public bool KeepsRecordId(string id) => FaunaRead.IsDocumentId(id);

    public ITenantDatabase Open(string tenantId, DataPlaneAudit? audit = null) =>
        new FaunaTenantDatabase(client, tenantId, timeProvider ?? TimeProvider.System, EnsureCurrentAsync, audit);

    /// <summary>
    /// Before a tenant's first use in this process: its child database is upgraded if it is behind. Callers at the
    /// same moment wait for one upgrade; a failed one is tried again by the next caller.
    /// </summary>
    private async Task EnsureCurrentAsync(string tenantId, CancellationToken cancellationToken)
    {
        var name = TenantIds.DatabaseName(tenantId);
        var check = _current.GetOrAdd(name, _ => new Lazy<Task>(() => UpgradeExistingAsync(tenantId, CancellationToken.None)));
        try
        {
            await check.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (check.Value.IsFaulted || check.Value.IsCanceled)
        {
            _current.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, check));
            throw;
        }
    }
}
