namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// The local identity provider's RS256 keys, one per user pool (each with its own <c>kid</c>), so that a token one
/// pool signed never verifies as the other's. They persist in the data directory so that tokens survive a
/// restart: the tenant pool's is <c>local-idp-signing-key.pem</c> (so a data directory holding only that file keeps
/// its live tenant tokens valid), the operations pool's is <c>local-idp-operations-signing-key.pem</c>, made when
/// first needed.
/// </summary>
public sealed class LocalSigningKey(string dataDirectory) : IDisposable
{
    public const string TenantKeyFile = "local-idp-signing-key.pem";
    public const string OperationsKeyFile = "local-idp-operations-signing-key.pem";

    /// <summary>
    /// Read (on a first start: made and written) when first used, not at start: it loads OpenSSL and IdentityModel,
    /// which lengthens a cold start, and a health check needs none of it.
    /// </summary>
    private readonly Lazy<PoolSigningKey> _tenant = new(() => PoolSigningKey.Load(dataDirectory, TenantKeyFile));

    private readonly Lazy<PoolSigningKey> _operations = new(() => PoolSigningKey.Load(dataDirectory, OperationsKeyFile));

    /// <summary>The key that signs, and alone verifies, this pool's tokens.</summary>
    public PoolSigningKey For(UserPool pool) => pool == UserPool.Operations ? _operations.Value : _tenant.Value;

    public void Dispose()
    {
        foreach (var key in new[] { _tenant, _operations })
        {
            if (key.IsValueCreated)
            {
                key.Value.Rsa.Dispose();
            }
        }
    }
}
