namespace SaasOnboarding.Contract.Tests.Infrastructure;

/// <summary>
/// The test classes that need the app with its default settings share one <see cref="ListeningApp"/>: each starts
/// a process of its own otherwise, and none of them changes what the others read (each registers its own tenant or
/// only reads). They run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedListeningApp : ICollectionFixture<ListeningApp>
{
    public const string Name = "Listening app";
}
