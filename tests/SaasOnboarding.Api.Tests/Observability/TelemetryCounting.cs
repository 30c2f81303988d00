namespace SaasOnboarding.Api.Tests.Observability;

/// <summary>
/// Test classes that count metrics run alone: the app's instruments are static, so an SDK listening in one test
/// app also counts what every other app in the test process does at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCounting
{
    public const string Name = "Telemetry counted alone";
}
