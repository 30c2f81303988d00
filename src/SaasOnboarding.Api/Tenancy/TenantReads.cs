namespace SaasOnboarding.Api.Tenancy;

/// <summary>
/// Endpoint metadata: the GET routes it marks answer from the caller's tenant database, each through a read that
/// checks the tenant's access revision itself when the store can (<see cref="Storage.ITenantDatabases.ChecksAccessRevision"/>),
/// so that <see cref="TenantResolutionMiddleware"/> need not read it first (<see cref="DeferredAccessCheck"/>).
/// </summary>
public sealed class TenantReads
{
    private static readonly TenantReads Marker = new();

    private TenantReads()
    {
    }

    /// <summary>Marks the GET routes of <paramref name="builder"/> as answered from the caller's tenant database.</summary>
    public static TBuilder Mark<TBuilder>(TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(Marker);
}
