using System.Data.Common;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// A tenant as a row of the SQL catalogs (SQLite and PostgreSQL): its columns, the parameters it is written with,
/// and how it is read back, named once so that the two stores cannot drift apart. Each store says how it keeps a
/// time.
/// </summary>
internal static class TenantRow
{
    /// <summary>The columns a new tenant is inserted with.</summary>
    public const string Columns =
        "id, tenant_name, tenant_email, tenant_phone, tenant_address, tenant_tier, status, created_at, updated_at";

    /// <summary><see cref="Columns"/> and the offboarding's: the columns a tenant is read from.</summary>
    public const string ReadColumns =
        Columns + ", offboarding_started_at, purge_after, offboarded_by, offboarded_by_role, status_before_offboarding";

    /// <summary>The columns of a purged tenant's tombstone whose values the purge erases (contact details).</summary>
    public const string ErasedOnPurge = "tenant_email = '', tenant_phone = NULL, tenant_address = NULL";

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
    /// The columns that set <paramref name="status"/> with <paramref name="offboarding"/>, or clear the offboarding
    /// when it is null; <paramref name="storedTime"/> gives a time as the store keeps it.
    /// </summary>
    public static List<(string Column, object? Value)> OffboardingAssignments(
        TenantStatus status, TenantOffboarding? offboarding, Func<DateTimeOffset, object> storedTime) =>
    [
        ("status", status.ToString()),
        ("offboarding_started_at", offboarding is null ? null : storedTime(offboarding.StartedAt)),
        ("purge_after", offboarding is null ? null : storedTime(offboarding.PurgeAfter)),
        ("offboarded_by", offboarding?.StartedBy),
        ("offboarded_by_role", offboarding?.StartedByRole),
        ("status_before_offboarding", offboarding?.StatusBefore.ToString()),
    ];

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

        return ($"UPDATE {table} SET {set} WHERE {where} RETURNING {ReadColumns}", [.. parameters]);
    }

    /// <summary>A tenant from a row that starts with <see cref="ReadColumns"/>; <paramref name="time"/> reads a stored time.</summary>
    public static Tenant Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.NullableString(3),
        reader.NullableString(4),
        reader.GetString(5),
        Enum.Parse<TenantStatus>(reader.GetString(6)),
        time(reader, 7),
        time(reader, 8),
        reader.IsDBNull(9)
            ? null
            : new TenantOffboarding(
                time(reader, 9),
                time(reader, 10),
                reader.GetString(11),
                reader.GetString(12),
                Enum.Parse<TenantStatus>(reader.GetString(13))));

    /// <summary>
    /// Runs <paramref name="update"/> (from <see cref="Update"/>) and says what it did: the tenant as written, a
    /// name another tenant holds, no such tenant, or (only when a version was expected) a version that no longer
    /// matches.
    /// </summary>
    public static async Task<TenantUpdateResult> ApplyUpdateAsync(
        DbCommand update,
        string table,
        string tenantId,
        bool versioned,
        Func<DbException, bool> isUniqueViolation,
        Func<DbDataReader, int, DateTimeOffset> time,
        CancellationToken cancellationToken)
    {
        try
        {
            if (await update.ReadFirstAsync(reader => Read(reader, time), cancellationToken) is { } written)
            {
                return new TenantUpdateResult(TenantUpdateOutcome.Updated, written);
            }
        }
        catch (DbException e) when (isUniqueViolation(e))
        {
            return TenantUpdateResult.NameTaken;
        }

        if (!versioned)
        {
            return TenantUpdateResult.NotFound;
        }

        await using var exists = update.Connection!.CreateCommand();
        exists.CommandText = $"SELECT 1 FROM {table} WHERE id = @id";
        exists.Transaction = update.Transaction;
        var id = exists.CreateParameter();
        id.ParameterName = "@id";
        id.Value = tenantId;
        exists.Parameters.Add(id);
        return await exists.ExecuteScalarAsync(cancellationToken) is null ? TenantUpdateResult.NotFound : TenantUpdateResult.VersionMismatch;
    }
}
