using System.Data.Common;
using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>Command helpers shared by the PostgreSQL catalog and child databases.</summary>
internal static class Postgres
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    /// <summary>Values become parameters; a ready <see cref="NpgsqlParameter"/> (for an explicit type) is added as is.</summary>
    public static void AddParameters(NpgsqlParameterCollection collection, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (value is NpgsqlParameter parameter)
            {
                parameter.ParameterName = name;
                collection.Add(parameter);
            }
            else
            {
                collection.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }

    /// <summary>A text parameter that stays typed when null, where PostgreSQL cannot infer the type (coalesce).</summary>
    public static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static DateTimeOffset Timestamp(this DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>
    /// PostgreSQL keeps microseconds; .NET has 100 ns ticks. Truncating before writing makes what a write returns
    /// equal to what a later read returns.
    /// </summary>
    public static DateTimeOffset ToStored(DateTimeOffset value) => StoredTime.Truncate(value);

    public static bool IsUniqueViolation(this PostgresException exception) => exception.SqlState == PostgresErrorCodes.UniqueViolation;

    /// <summary>Quotes a name that <see cref="TenantIds.DatabaseName"/> already restricted to <c>tenant_</c> and hex digits.</summary>
    public static string Identifier(string name) => "\"" + name + "\"";
}
