namespace SaasOnboarding.Contract.Tests.Infrastructure;

/// <summary>A <see cref="ListeningApp"/> with settings of its own, shared by one test class.</summary>
public abstract class ListeningAppFixture(IDictionary<string, string> settings) : IAsyncLifetime
{
    public ListeningApp App { get; } = new(settings);

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}
