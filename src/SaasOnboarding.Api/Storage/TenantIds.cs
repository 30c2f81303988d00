namespace SaasOnboarding.Api.Storage;

/// <summary>Tenant ids are 32 lower-case hex digits, so that they are safe in file, schema, role and database names.</summary>
public static class TenantIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? tenantId) =>
        tenantId is { Length: 32 } && tenantId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The child database's name: <c>tenant_&lt;tenantId&gt;</c>.</summary>
    public static string DatabaseName(string tenantId) =>
        IsValid(tenantId) ? "tenant_" + tenantId : throw new ArgumentException("Not a tenant id.", nameof(tenantId));
}
