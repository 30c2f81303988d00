using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Npgsql;

namespace SaasOnboarding.Api.Storage.Postgres;

/// <summary>
/// Where the PostgreSQL store lives (Aurora PostgreSQL, RDS or any PostgreSQL 14+). Exactly one of
/// <see cref="ConnectionString"/> and <see cref="ConnectionStringParameterName"/> is set.
/// </summary>
public sealed partial class PostgresStorageOptions : IValidatableObject
{
    public const string Section = "Storage:Postgres";

    /// <summary>
    /// An Npgsql connection string for a role that has CREATEROLE, owns the database, and is not a superuser
    /// (a superuser bypasses the permission checks that keep tenants apart).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The SSM Parameter Store SecureString that holds the connection string, e.g. <c>/saas-onboarding/postgres</c>.
    /// </summary>
    public string? ConnectionStringParameterName { get; set; }

    /// <summary>
    /// The most connections this instance opens (Npgsql's <c>Max Pool Size</c>), whatever the connection string
    /// says: instances × this stays under the server's <c>max_connections</c> (docs/scaling.md).
    /// </summary>
    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = DefaultMaxPoolSize;

    public const int DefaultMaxPoolSize = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasParameterName = !string.IsNullOrWhiteSpace(ConnectionStringParameterName);
        if (hasConnectionString == hasParameterName)
        {
            yield return new ValidationResult(
                $"Set exactly one of {Section}:{nameof(ConnectionString)} and {Section}:{nameof(ConnectionStringParameterName)}.",
                [nameof(ConnectionString), nameof(ConnectionStringParameterName)]);
            yield break;
        }

        if (hasParameterName && (ConnectionStringParameterName!.Length > 2048 || !ParameterNamePattern().IsMatch(ConnectionStringParameterName)))
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ConnectionStringParameterName)} is not an SSM parameter name (letters, digits, . _ - and / separators, at most 2048 characters).",
                [nameof(ConnectionStringParameterName)]);
        }

        if (hasConnectionString)
        {
            foreach (var problem in ConnectionStringProblems(ConnectionString!))
            {
                yield return new ValidationResult($"{Section}:{nameof(ConnectionString)} {problem}", [nameof(ConnectionString)]);
            }
        }
    }

    /// <summary>What makes a connection string unusable here; never echoes the string, which may hold a password.</summary>
    internal static IEnumerable<string> ConnectionStringProblems(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return ["is not a valid Npgsql connection string."];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            problems.Add("names no Host.");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            problems.Add("names no Database.");
        }

        if (!builder.Pooling)
        {
            problems.Add("turns Pooling off; every request would pay a new connection.");
        }

        return problems;
    }

    [GeneratedRegex(@"^/?[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex ParameterNamePattern();
}
