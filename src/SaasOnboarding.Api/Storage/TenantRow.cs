namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A tenant as a row of the SQL catalogs (SQLite and PostgreSQL): its columns and the parameters it is written
/// with, named once so that the two stores cannot drift apart. Each store says how it keeps a time.
/// </summary>
internal static class TenantRow
{
    public const string Columns =
        "id, tenant_name, tenant_email, tenant_phone, tenant_address, tenant_tier, status, created_at, updated_at";

    /// <summary>
    /// <c>@id @name @key @email @phone @address @tier @status @created @updated</c>, where <c>@key</c> is the
    /// normalized name that makes names unique.
    /// </summary>
    public static (string Name, object? Value)[] Parameters(Tenant tenant, Func<DateTimeOffset, object> storedTime) =>
    [
        ("@id", tenant.Id),
        ("@name", tenant.TenantName),
        ("@key", TenantNames.Normalize(tenant.TenantName)),
        ("@email", tenant.TenantEmail),
        ("@phone", tenant.TenantPhone),
        ("@address", tenant.TenantAddress),
        ("@tier", tenant.TenantTier),
        ("@status", tenant.Status.ToString()),
        ("@created", storedTime(tenant.CreatedAt)),
        ("@updated", storedTime(tenant.UpdatedAt)),
    ];
}
