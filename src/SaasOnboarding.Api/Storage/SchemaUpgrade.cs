namespace SaasOnboarding.Api.Storage;

/// <summary>What an upgrade did to one database: the version it had and the version it has now.</summary>
public readonly record struct SchemaUpgrade(int From, int To)
{
    public bool Changed => From != To;
}
