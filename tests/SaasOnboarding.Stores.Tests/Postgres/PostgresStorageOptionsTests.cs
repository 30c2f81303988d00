using System.ComponentModel.DataAnnotations;
using SaasOnboarding.Api.Storage.Postgres;

namespace SaasOnboarding.Stores.Tests.Postgres;

public sealed class PostgresStorageOptionsTests
{
    [Fact]
    public void AConnectionStringAloneIsAccepted()
    {
        Assert.Empty(Validate(new PostgresStorageOptions { ConnectionString = "Host=db.example.com;Database=saas;Username=app;Password=pw" }));
    }

    [Fact]
    public void AnSsmParameterNameAloneIsAccepted()
    {
        Assert.Empty(Validate(new PostgresStorageOptions { ConnectionStringParameterName = "/saas-onboarding/prod/postgres" }));
        Assert.Empty(Validate(new PostgresStorageOptions { ConnectionStringParameterName = "saas.postgres_connection-string" }));
    }

    [Fact]
    public void NeitherOrBothSettingsAreRefusedNamingBoth()
    {
        var neither = Assert.Single(Validate(new PostgresStorageOptions()));
        var both = Assert.Single(Validate(new PostgresStorageOptions { ConnectionString = "Host=h;Database=d", ConnectionStringParameterName = "/p" }));

        Assert.Contains("Storage:Postgres:ConnectionString", neither, StringComparison.Ordinal);
        Assert.Contains("Storage:Postgres:ConnectionStringParameterName", neither, StringComparison.Ordinal);
        Assert.Equal(neither, both);
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("/trailing/")]
    [InlineData("//double")]
    public void AMalformedSsmParameterNameIsRefused(string name)
    {
        var error = Assert.Single(Validate(new PostgresStorageOptions { ConnectionStringParameterName = name }));

        Assert.Contains("Storage:Postgres:ConnectionStringParameterName", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=h;Database=d;Pooling=false", "Pooling")]
    [InlineData("Host=h", "Database")]
    [InlineData("Database=d", "Host")]
    [InlineData("Hots=h;Database=d", "not a valid")]
    public void AConnectionStringThatCannotPoolOrNamesNoServerIsRefused(string connectionString, string named)
    {
        var errors = Validate(new PostgresStorageOptions { ConnectionString = connectionString });

        Assert.Contains(errors, error => error.StartsWith("Storage:Postgres:ConnectionString ", StringComparison.Ordinal) && error.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void ARefusedConnectionStringIsNeverEchoed()
    {
        var errors = Validate(new PostgresStorageOptions { ConnectionString = "Host=h;Database=d;Password=hunter2secret;Pooling=false" });

        Assert.NotEmpty(errors);
        Assert.DoesNotContain(errors, error => error.Contains("hunter2secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void APoolSizeOutsideOneToAThousandIsRefused(int size)
    {
        var error = Assert.Single(Validate(new PostgresStorageOptions { ConnectionString = "Host=h;Database=d", MaxPoolSize = size }));

        Assert.Contains(nameof(PostgresStorageOptions.MaxPoolSize), error, StringComparison.Ordinal);
    }

    private static List<string> Validate(PostgresStorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage!)];
    }
}
