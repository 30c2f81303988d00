using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SaasOnboarding.Bench;

internal sealed record SeededTenant(string TenantId, string AdminUserName, string Email);

/// <summary>The app's public routes the benchmark calls, each timed from send to the last byte read.</summary>
internal sealed class BenchApi(HttpClient client, string runId)
{
    private int _registered;

    public int Registered => _registered;

    /// <summary>Registers one tenant through POST /registration; returns it and how long the call took.</summary>
    public async Task<(SeededTenant Tenant, TimeSpan Elapsed)> RegisterAsync()
    {
        var n = Interlocked.Increment(ref _registered);
        var email = $"owner{n}@bench.test";
        var body = new
        {
            tenantName = $"bench {runId} {n}",
            tenantEmail = email,
            tenantTier = "Basic",
        };
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/registration", body);
        var json = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /registration answered {(int)response.StatusCode}: {json}");
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (new SeededTenant(root.GetProperty("tenantId").GetString()!, root.GetProperty("tenantAdminUserName").GetString()!, email), elapsed);
    }

    /// <summary>Signs the system admin in (one password verification, tokens issued); returns how long it took.</summary>
    public async Task<TimeSpan> SignInAsync(string userName, string password)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/auth/signin", new { userName, password, pool = "operations" });
        var json = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;
        if (response.StatusCode != HttpStatusCode.OK || !json.Contains("idToken", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"POST /auth/signin answered {(int)response.StatusCode} without tokens.");
        }

        return elapsed;
    }

    /// <summary>Creates product <paramref name="n"/> of a tenant; answers its id.</summary>
    public async Task<string> CreateProductAsync(string idToken, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/product")
        {
            Content = JsonContent.Create(new { name = $"Product {n}", sku = $"SKU-{n}", price = 9.99m + n, quantity = 100, description = "Seeded by the benchmark" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /product answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path, string? idToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (idToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
