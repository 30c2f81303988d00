using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SaasOnboarding.Testing;

namespace SaasOnboarding.Bench;

/// <summary>
/// The export phase: an app of its own with one tenant of 10,000 products and 1,000 orders; its resident memory idle
/// (after the seeding, before the export), then its peak while <c>GET /tenant/{id}/export</c> streams that tenant to
/// the driver, which reads and discards it. The figure is peak ÷ idle, both from the same process in the same run.
/// </summary>
internal static class ExportMemory
{
    public const int Products = 10_000;
    public const int Orders = 1_000;

    public sealed record Result(double IdleRssMb, double PeakRssMb, long Bytes, long Lines, double Seconds);

    public static async Task<Result> RunAsync(string appHost, string workDirectory, Func<string, int, IEnumerable<string>> appArguments, HttpClient http)
    {
        var data = Path.Combine(workDirectory, "export-data");
        await using var app = AppProcess.Start(appHost, Path.Combine(workDirectory, "app-export.log"), port => appArguments(data, port));
        await app.WaitUntilOkAsync(http, "/health", TimeSpan.FromMinutes(1));
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        var api = new BenchApi(client, "export" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var (tenant, _) = await api.RegisterAsync();
        (await client.GetAsync(new Uri("/local-idp/local_tenant/.well-known/jwks.json", UriKind.Relative))).EnsureSuccessStatusCode();
        using var minter = LocalTokenMinter.ForTenantPool(data, app.BaseAddress.ToString());
        var token = minter.IdToken(
            new MintedUser(tenant.AdminUserName, tenant.Email, tenant.TenantId, "TenantAdmin", [tenant.TenantId], Guid.NewGuid().ToString()),
            DateTimeOffset.UtcNow,
            TimeSpan.FromHours(2));

        Console.WriteLine($"   seeding {Products} products and {Orders} orders");
        var productIds = new string[Products];
        await Parallel.ForAsync(0, Products, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            productIds[i] = await api.CreateProductAsync(token, i));
        await Parallel.ForAsync(0, Orders, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await PlaceOrderAsync(client, token, i, productIds[(i * 7) % Products], productIds[(i * 13 + 1) % Products]));

        // Idle: the process as the seeding left it, sampled for a second.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idle = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            idle.Add(app.RssBytes());
            await Task.Delay(50);
        }

        // The peak from here on: the kernel's high-water mark is reset (clear_refs 5), and RSS is also sampled.
        app.ResetPeakRss();
        using var sampling = new CancellationTokenSource();
        var sampled = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                sampled = Math.Max(sampled, app.RssBytes());
                await Task.Delay(5);
            }
        });

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/tenant/{tenant.TenantId}/export");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var expectedLines = 1 + 1 + 1 + Products + Orders + 1;
        if (lines != expectedLines)
        {
            throw new InvalidOperationException($"The export had {lines} lines; {expectedLines} were expected.");
        }

        var peak = Math.Max(sampled, app.PeakRssBytes());
        return new Result(Stats.Median(idle) / 1048576.0, peak / 1048576.0, bytes, lines, seconds);
    }

    private static async Task PlaceOrderAsync(HttpClient client, string token, int n, string first, string second)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/order")
        {
            Content = JsonContent.Create(new { orderName = $"Order {n}", orderProducts = new[] { new { productId = first, quantity = 1 }, new { productId = second, quantity = 2 } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /order answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
