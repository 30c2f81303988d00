using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Identity.Local;

namespace SaasOnboarding.Identity.Tests.Local;

/// <summary>
/// Each pool of the local provider signs with its own key: its JWKS names only that key, and the other pool's key
/// never verifies its tokens. A data directory with the single key of earlier versions keeps it for the tenant pool.
/// </summary>
public sealed class PoolSigningKeyTests
{
    [Fact]
    public async Task AnExistingKeyStaysTheTenantPoolsAndTheOperationsPoolGetsItsOwn()
    {
        var directory = Directory.CreateTempSubdirectory("saas-keys-").FullName;
        try
        {
            using var existing = RSA.Create(2048);
            await File.WriteAllTextAsync(Path.Combine(directory, LocalSigningKey.TenantKeyFile), existing.ExportPkcs8PrivateKeyPem());

            await using var app = new AppFactory(directory);
            using var anonymous = app.CreateClient();
            var tenantKeys = await KeyIdsAsync(anonymous, "local_tenant");
            var operationsKeys = await KeyIdsAsync(anonymous, "local_operations");
            var tenantKid = Assert.Single(tenantKeys);
            var operationsKid = Assert.Single(operationsKeys);
            Assert.NotEqual(tenantKid, operationsKid);
            Assert.True(File.Exists(Path.Combine(directory, LocalSigningKey.OperationsKeyFile)));

            // A tenant token signed with the key the directory already had (as before the upgrade) is still valid.
            var tenant = await app.OnboardAsync();
            var old = new SigningCredentials(new RsaSecurityKey(existing.ExportParameters(true)) { KeyId = tenantKid }, SecurityAlgorithms.RsaSha256);
            using (var client = app.Client(Sign(old, "local_tenant", "local-tenant-client", tenant.AdminUserName, "TenantAdmin", tenant.TenantId)))
            {
                await (await client.GetAsync($"/tenant/{tenant.TenantId}")).ShouldBe(HttpStatusCode.OK);
            }

            // The system admin's claims with the operations issuer, signed with the tenant pool's key: refused,
            // whichever kid it names.
            foreach (var kid in new[] { tenantKid, operationsKid })
            {
                var forged = new SigningCredentials(new RsaSecurityKey(existing.ExportParameters(true)) { KeyId = kid }, SecurityAlgorithms.RsaSha256);
                using var client = app.Client(Sign(forged, "local_operations", "local-operations-client", "admin", "SystemAdmin", "system_admins"));
                await (await client.GetAsync("/tenants")).ShouldBeProblem(HttpStatusCode.Unauthorized);
            }

            // The operations pool's own tokens still work, and a restart keeps both keys.
            using (var system = app.Client((await app.SystemAdminSignInAsync()).IdToken))
            {
                await (await system.GetAsync("/tenants")).ShouldBe(HttpStatusCode.OK);
            }

            await using var restarted = new AppFactory(directory);
            using var again = restarted.CreateClient();
            Assert.Equal(tenantKeys, await KeyIdsAsync(again, "local_tenant"));
            Assert.Equal(operationsKeys, await KeyIdsAsync(again, "local_operations"));
        }
        finally
        {
            // Both hosts are disposed by now (their scope was the try block): nothing of theirs writes in the
            // directory while it is deleted.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// An app stopped disposes its keys; one started after it in the same process on the same directory loads the
    /// same keys anew and signs with them (nothing process-wide holds on to the stopped app's key).
    /// </summary>
    [Fact]
    public async Task AnAppStartedAfterAnotherStoppedOnTheSameDirectorySignsWithItsKeys()
    {
        var directory = Directory.CreateTempSubdirectory("saas-keys-").FullName;
        foreach (var start in new[] { "first", "second" })
        {
            await using var app = new AppFactory(directory);
            using var system = app.Client((await app.SystemAdminSignInAsync()).IdToken);
            Assert.True((await system.GetAsync("/tenants")).IsSuccessStatusCode, $"the {start} app's own token");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<string[]> KeyIdsAsync(HttpClient client, string poolId)
    {
        var jwks = await client.GetFromJsonAsync<JsonElement>($"/local-idp/{poolId}/.well-known/jwks.json");
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!)];
    }

    private static string Sign(SigningCredentials credentials, string poolId, string audience, string userName, string role, string tenantId) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "http://localhost:5080/local-idp/" + poolId,
            Audience = audience,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object>
            {
                ["cognito:username"] = userName,
                ["token_use"] = "id",
                ["custom:tenantId"] = tenantId,
                ["custom:userRole"] = role,
            },
            SigningCredentials = credentials,
        });
}
