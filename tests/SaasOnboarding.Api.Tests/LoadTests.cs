namespace SaasOnboarding.Api.Tests;

/// <summary>
/// Tests that load both cores for seconds (hundreds of registrations at once, each a password hash). They run alone,
/// after the parallel tests: every app under test shares this process's thread pool, and a browser test running
/// beside 200 registrations waited ten seconds for its page's scripts behind ~2,500 queued work items.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTests
{
    public const string Name = "Load";
}
