namespace SaasOnboarding.Api.Storage.Fauna;

/// <summary>
/// Brings one Fauna database (the parent, or a tenant's child database) to the latest version of its
/// <see cref="SchemaMigrations"/> (<c>.fql</c> files). The version is the one document of the collection
/// <c>schemaVersion</c> in that database. A migration file holds one or more steps, parted by a line of three dashes;
/// each step is one query, so one transaction. Fauna cannot create schema and use it, or change schema and write the
/// version, in one transaction: so every step is idempotent, the version is written after a migration's last step,
/// and a crash before it makes the next upgrade run that migration again. A database without <c>schemaVersion</c>
/// but with its sentinel collection is at version 1.
/// </summary>
internal static class FaunaMigrator
{
    public const string VersionCollection = "schemaVersion";
    private const string StepSeparator = "\n---\n";

    public static async Task<SchemaUpgrade> UpgradeAsync(
        FaunaClient client, SchemaMigrations migrations, FaunaScope? scope, string sentinelCollection, string databaseName, CancellationToken cancellationToken)
    {
        var (from, recorded) = await VersionAsync(client, scope, sentinelCollection, cancellationToken);
        if (from > migrations.Latest)
        {
            throw new SchemaMigrationException(
                $"{databaseName} is at schema version {from}, newer than this build of the app knows ({migrations.Latest}).");
        }

        if (!recorded && from == 1)
        {
            // Collections but no version: version 1, recorded first, so that the database says what it is even
            // if a later step fails.
            await RecordAsync(client, 1, scope, cancellationToken);
        }

        foreach (var migration in migrations.After(from))
        {
            await RunAsync(client, migration, scope, databaseName, wrapFailures: true, cancellationToken);
            await RecordAsync(client, migration.Version, scope, cancellationToken);
        }

        return new SchemaUpgrade(from, Math.Max(from, migrations.Latest));
    }

    /// <summary>
    /// Every migration's steps, then the latest version: for a database just created, which nothing else uses yet,
    /// so the versions between need not be written.
    /// </summary>
    public static async Task CreateAsync(FaunaClient client, SchemaMigrations migrations, FaunaScope scope, string databaseName, CancellationToken cancellationToken)
    {
        foreach (var migration in migrations.All)
        {
            await RunAsync(client, migration, scope, databaseName, wrapFailures: false, cancellationToken);
        }

        await RecordAsync(client, migrations.Latest, scope, cancellationToken);
    }

    /// <summary>The recorded version; else 1 when the sentinel collection exists, 0 when it does not.</summary>
    public static async Task<(int Version, bool Recorded)> VersionAsync(
        FaunaClient client, FaunaScope? scope, string sentinelCollection, CancellationToken cancellationToken)
    {
        var answer = await client.QueryAsync(
            Fql.Of($$"""
                {
                  recorded: if (Collection.byName({{VersionCollection}}) != null) Collection({{VersionCollection}}).all().first()?.version else null,
                  exists: Collection.byName({{sentinelCollection}}) != null
                }
                """),
            "schema_version",
            scope,
            cancellationToken);
        if (answer.Data is not Dictionary<string, object?> fields)
        {
            throw new FaunaProtocolException("The schema version answer is not an object.");
        }

        return fields.GetValueOrDefault("recorded") is { } recorded
            ? (FaunaRead.Int(recorded, "recorded"), true)
            : (FaunaRead.Bool(fields.GetValueOrDefault("exists"), "exists") ? 1 : 0, false);
    }

    /// <summary>wrapFailures: a failed step becomes a <see cref="SchemaMigrationException"/> naming the database and migration.</summary>
    private static async Task RunAsync(
        FaunaClient client, SchemaMigration migration, FaunaScope? scope, string databaseName, bool wrapFailures, CancellationToken cancellationToken)
    {
        foreach (var step in migration.Text.Split(StepSeparator))
        {
            try
            {
                await client.QueryAsync(Fql.FromMigrationFile(step), "schema_migrate", scope, cancellationToken);
            }
            catch (FaunaException e) when (wrapFailures)
            {
                throw new SchemaMigrationException($"Migration {migration.Name} of {databaseName} failed; it stays at the version before it: {e.Message}", e);
            }
        }
    }

    /// <summary>Two queries: the collection first when it is missing (schema cannot be created and written in one).</summary>
    private static async Task RecordAsync(FaunaClient client, int version, FaunaScope? scope, CancellationToken cancellationToken)
    {
        var definition = new Dictionary<string, object?> { ["name"] = VersionCollection };
        await client.QueryAsync(FaunaSchema.CreateIfMissing(definition), "schema_version_collection", scope, cancellationToken);
        await client.QueryAsync(
            Fql.Of($$"""
                let current = Collection({{VersionCollection}}).all().first()
                if (current == null) {
                  Collection({{VersionCollection}}).create({ version: {{version}} })
                } else {
                  current!.update({ version: {{version}} })
                }
                null
                """),
            "schema_version_record",
            scope,
            cancellationToken);
    }
}
