using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Identity.Tests.Local;

/// <summary>
/// The local provider hashes passwords with ASP.NET Core Identity's PBKDF2 hasher at its default settings. Test apps
/// lower the iteration count (<see cref="AppFactory.TestHashIterations"/>), in-process or, for the app started as a
/// process, with a setting only Development honours; this proves the app as shipped does not, whatever it is configured with.
/// </summary>
public sealed class PasswordHashingTests
{
    private const string IterationSetting = "Identity:Local:DevelopmentPasswordHashIterations";

    [Fact]
    public void TheShippedAppHashesWithIdentitysDefaultIterationCount()
    {
        using var app = new AppFactory { ProductionPasswordHashing = true };
        using var client = app.CreateClient();

        Assert.IsType<PasswordHasher<string>>(app.Services.GetRequiredService<IPasswordHasher<string>>());
        Assert.Equal(100_000, new PasswordHasherOptions().IterationCount);
        Assert.Equal(100_000, IterationsOf(StoredHashOfTheSeededAdmin(app)));
    }

    [Fact]
    public void TestAppsHashWithTheLoweredIterationCount()
    {
        using var app = new AppFactory();
        using var client = app.CreateClient();

        Assert.Equal(AppFactory.TestHashIterations, IterationsOf(StoredHashOfTheSeededAdmin(app)));
    }

    /// <summary>The setting the app started as a process gets (ChildApp): honoured in Development.</summary>
    [Fact]
    public void ADevelopmentAppHashesWithTheDevelopmentIterationSetting()
    {
        using var app = new AppFactory(null, new Dictionary<string, string?> { [IterationSetting] = "2000" }) { ProductionPasswordHashing = true };
        using var client = app.CreateClient();

        Assert.Equal(2_000, IterationsOf(StoredHashOfTheSeededAdmin(app)));
    }

    /// <summary>No configuration lowers the shipped cost: outside Development the setting stops the start.</summary>
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void TheDevelopmentIterationSettingIsRefusedOutsideDevelopment(string environment)
    {
        var error = StartupFailures.MessageOf(() =>
            new AppFactory(null, new Dictionary<string, string?> { [IterationSetting] = "1000" }) { EnvironmentName = environment, ProductionPasswordHashing = true });

        Assert.Contains($"{IterationSetting} is honoured only in Development", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("100001")]
    public void ADevelopmentIterationSettingOutsideItsRangeIsRefused(string iterations)
    {
        var error = StartupFailures.MessageOf(() =>
            new AppFactory(null, new Dictionary<string, string?> { [IterationSetting] = iterations }) { ProductionPasswordHashing = true });

        Assert.Contains(nameof(LocalIdentityOptions.DevelopmentPasswordHashIterations), error, StringComparison.Ordinal);
    }

    private static string StoredHashOfTheSeededAdmin(AppFactory app)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "local-idp.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash FROM user WHERE user_name = $name";
        command.Parameters.AddWithValue("$name", LocalIdentitySeeder.AdminUserName);
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>The iteration count in Identity's version 3 hash: a format byte, the PRF, then the count (big-endian).</summary>
    private static int IterationsOf(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4));
    }
}
