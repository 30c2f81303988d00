namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// One child database <c>tenant_&lt;id&gt;</c> per tenant, created with the parent key and hydrated through the parent
/// key scoped to the child as admin. Tenant requests then use the same key scoped as <c>server</c>.
/// </summary>
public sealed class FaunaTenantDatabases(FaunaClient client, ILogger<FaunaTenantDatabases> logger, TimeProvider? timeProvider = null) : ITenantDatabases
{
    /// <summary>The child schema, one collection per query: a collection cannot be created and used in one query.</summary>
    internal static readonly IReadOnlyList<Dictionary<string, object?>> Schema =
    [
        FaunaSchema.Collection(
            "product",
            indexes: new()
            {
                ["bySku"] = FaunaSchema.Index(terms: ["sku"]),
                ["sortedByCreatedAt"] = FaunaSchema.Index(values: ["createdAt"]),
            },
            // skuKey: the SKU with ASCII letters folded (Skus.Key), so that SKUs are unique ignoring case.
            unique: ["sku", "skuKey"]),
        FaunaSchema.Collection(
            "order",
            indexes: new()
            {
                ["sortedByCreationDate"] = FaunaSchema.Index(values: ["creationDate"]),
            },
            unique: []),
    ];

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
            var scope = new FaunaScope(name, "admin");
            foreach (var collection in Schema)
            {
                await client.QueryAsync(FaunaSchema.Create(collection), "database_hydrate", scope, cancellationToken);
            }
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

    public Task DeleteAsync(string tenantId, CancellationToken cancellationToken) => client.QueryAsync(
        Fql.Of($"""
            Database.byName({TenantIds.DatabaseName(tenantId)})?.delete()
            null
            """),
        "database_delete",
        null,
        cancellationToken);

    public async Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($"Database.byName({TenantIds.DatabaseName(tenantId)}) != null"), "database_exists", null, cancellationToken);
        return FaunaRead.Bool(answer.Data, "exists");
    }

    public Task<SchemaUpgrade> UpgradeAsync(string tenantId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Fauna child databases do not record a schema version yet.");

    public ITenantDatabase Open(string tenantId) => new FaunaTenantDatabase(client, tenantId, timeProvider ?? TimeProvider.System);
}
