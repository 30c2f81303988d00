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

    /// <summary>
    /// The columns an update of <paramref name="changes"/> writes: each non-null field, and the name key with the
    /// name. Columns of null fields are left out of the statement, so a concurrent update of them is kept.
    /// </summary>
    public static List<(string Column, object? Value)> Assignments(TenantChanges changes)
    {
        var assignments = new List<(string Column, object? Value)>(6);
        if (changes.TenantName is { } name)
        {
            assignments.Add(("tenant_name", name));
            assignments.Add(("name_key", TenantNames.Normalize(name)));
        }

        if (changes.TenantEmail is { } email)
        {
            assignments.Add(("tenant_email", email));
        }

        if (changes.TenantPhone is { } phone)
        {
            assignments.Add(("tenant_phone", phone));
        }

        if (changes.TenantAddress is { } address)
        {
            assignments.Add(("tenant_address", address));
        }

        if (changes.TenantTier is { } tier)
        {
            assignments.Add(("tenant_tier", tier));
        }

        return assignments;
    }

    /// <summary>
    /// One <c>UPDATE … RETURNING</c> of the tenant <c>@id</c> that sets <paramref name="assignments"/> and
    /// <c>updated_at</c>; with <paramref name="expectedUpdatedAt"/> (already in the store's form) it changes the row
    /// only while its <c>updated_at</c> still equals that value. It answers the row as stored, or no row.
    /// </summary>
    public static (string Sql, (string Name, object? Value)[] Parameters) Update(
        string table, string tenantId, IReadOnlyList<(string Column, object? Value)> assignments, object updatedAt, object? expectedUpdatedAt)
    {
        var parameters = new List<(string Name, object? Value)> { ("@id", tenantId), ("@updated", updatedAt) };
        var set = new System.Text.StringBuilder();
        for (var index = 0; index < assignments.Count; index++)
        {
            set.Append(assignments[index].Column).Append(" = @v").Append(index).Append(", ");
            parameters.Add(("@v" + index, assignments[index].Value));
        }

        set.Append("updated_at = @updated");
        var where = "id = @id";
        if (expectedUpdatedAt is not null)
        {
            where += " AND updated_at = @expected";
            parameters.Add(("@expected", expectedUpdatedAt));
        }

        return ($"UPDATE {table} SET {set} WHERE {where} RETURNING {Columns}", [.. parameters]);
    }
}
