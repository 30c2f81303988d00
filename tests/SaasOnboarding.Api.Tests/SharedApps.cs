namespace SaasOnboarding.Api.Tests;

/// <summary>
/// One in-process app per configuration, shared by the test classes that use that configuration as it is and change
/// nothing host-wide (no faults, telemetry, clock or settings of their own; those classes start their own app).
/// Starting an app costs more CPU than most tests do. Each test registers its own tenants and users, so the
/// tests stay independent of one another; the classes of a collection run one after another, so a test that looks at
/// the whole app (every tenant's file, the log, the journal) sees only its own requests in flight.
/// In a mutation run (<c>scripts/mutation.sh</c> sets <see cref="NewAppPerTest.Variable"/>), each test of these
/// collections gets an app of its own instead, built with the fixture's settings: see <see cref="NewAppPerTest"/>.
/// </summary>
[CollectionDefinition(Name)]
[NewAppPerTest]
public sealed class SharedEmbeddedApp : ICollectionFixture<EmbeddedApp>
{
    /// <summary>The app on its defaults: SQLite files, the local identity provider, Development.</summary>
    public const string Name = "Shared embedded app";
}

/// <summary>The shared app on PostgreSQL (see <see cref="SharedEmbeddedApp"/>).</summary>
[CollectionDefinition(Name)]
[NewAppPerTest]
public sealed class SharedPostgresApp : ICollectionFixture<PostgresApp>
{
    public const string Name = "Shared PostgreSQL app";
}

/// <summary>The shared app on cognito-local (see <see cref="SharedEmbeddedApp"/>).</summary>
[CollectionDefinition(Name)]
[NewAppPerTest]
public sealed class SharedCognitoLocalApp : ICollectionFixture<CognitoLocalApp>
{
    public const string Name = "Shared cognito-local app";
}

/// <summary>The shared Native AOT child process (see <see cref="SharedEmbeddedApp"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SharedAotApp : ICollectionFixture<AotApp>
{
    public const string Name = "Shared AOT app";
}
