namespace SaasOnboarding.Api.Tests;

/// <summary>
/// Tests that load both cores for seconds (hundreds of registrations at once, each a password hash). They run alone,
/// after the parallel tests: every app under test shares this process's thread pool, and hundreds of registrations
/// would hold up the other tests' work.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTests
{
    public const string Name = "Load";
}
