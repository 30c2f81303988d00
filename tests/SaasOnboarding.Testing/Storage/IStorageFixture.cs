using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Testing;

/// <summary>What a conformance subclass needs: a parent catalog (initialized) and a child-database provisioner.</summary>
public interface IStorageFixture
{
    ITenantCatalog Catalog { get; }

    ITenantDatabases Databases { get; }

    /// <summary>The webhooks' tables of the same catalog; null for a store that has none.</summary>
    IWebhookStore? Webhooks => null;
}
