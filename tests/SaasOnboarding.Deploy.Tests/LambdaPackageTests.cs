using System.Net.Http.Headers;
using System.Reflection.PortableExecutable;

namespace SaasOnboarding.Deploy.Tests;

/// <summary>The built package, started as Lambda would start it, reached as the adapter would reach it.</summary>
public sealed class LambdaPackageTests(LambdaPackage package) : IClassFixture<LambdaPackage>
{
    /// <summary>ReadyToRun code for Linux marks the machine as AMD64 XOR 0x7B79 (the Linux "OS machine" value).</summary>
    private const ushort ReadyToRunLinuxX64Machine = 0x8664 ^ 0x7B79;

    [Fact]
    public void PackageHoldsTheHandlerAndAReadyToRunLinuxX64BuildForTheDotnet10Runtime()
    {
        var handler = new FileInfo(Path.Combine(package.Directory, LambdaPackage.Handler));
        Assert.True(handler.Exists, "The handler the template names is not in the package");
        Assert.True(handler.UnixFileMode.HasFlag(UnixFileMode.UserExecute) && handler.UnixFileMode.HasFlag(UnixFileMode.OtherExecute), "The handler is not executable");

        // Framework-dependent on .NET 10 with ASP.NET Core: what the managed dotnet10 runtime provides.
        var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Directory, "SaasOnboarding.Api.runtimeconfig.json"))).RootElement.GetProperty("runtimeOptions");
        Assert.Equal("net10.0", runtimeConfig.GetProperty("tfm").GetString());
        Assert.Contains(runtimeConfig.GetProperty("frameworks").EnumerateArray(), framework => framework.GetProperty("name").GetString() == "Microsoft.AspNetCore.App");

        // Precompiled for linux-x64, so a cold start does not wait on the JIT.
        using var image = new PEReader(File.OpenRead(Path.Combine(package.Directory, "SaasOnboarding.Api.dll")));
        Assert.True(image.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "SaasOnboarding.Api.dll is not ReadyToRun");
        Assert.Equal(ReadyToRunLinuxX64Machine, (ushort)image.PEHeaders.CoffHeader.Machine);
        Assert.True(File.Exists(Path.Combine(package.Directory, "libe_sqlite3.so")), "The linux-x64 native SQLite library is missing");

        Assert.True(File.Exists(Path.Combine(package.Directory, "appsettings.json")));
        Assert.False(System.IO.Directory.Exists(Path.Combine(package.Directory, "data")), "Local data must not ship in the package");
    }

    [Fact]
    public async Task ReadinessPathAnswersOnTheAdaptersPortSoonAfterStart()
    {
        // The app took the adapter's port from AWS_LWA_PORT (run.sh), and only loopback is needed.
        Assert.Contains($"Now listening on: http://127.0.0.1:{package.Environment["AWS_LWA_PORT"]}", package.Output, StringComparison.Ordinal);
        Assert.True(package.TimeToReady < TimeSpan.FromSeconds(30), $"Ready after {package.TimeToReady}");

        using var http = new HttpClient { BaseAddress = package.BaseAddress };
        using var ready = await http.GetAsync(package.ReadinessPath);
        await ready.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Healthy", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        // Lambda's log lines are the app's JSON lines (Logging__Console__FormatterName=json in the template).
        var firstLogLine = package.Output.Split('\n').First(line => line.TrimStart().StartsWith('{'));
        Assert.True(JsonDocument.Parse(firstLogLine).RootElement.TryGetProperty("Category", out _));
    }

    [Fact]
    public async Task TenantRegistersAndSignsInThroughThePackageUnderTheStage()
    {
        // The adapter forwards API Gateway's path, stage included, with the gateway's forwarded headers.
        var stage = package.Environment["Hosting__PathBase"];
        using var http = new HttpClient { BaseAddress = package.BaseAddress };
        var name = "Lambda " + Guid.NewGuid().ToString("N")[..8];
        using var registration = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, stage + "/registration", json: new { tenantName = name, tenantEmail = "owner@example.com", tenantTier = "Standard" }));
        await registration.ShouldBe(HttpStatusCode.Created);
        var registered = (await registration.Content.ReadFromJsonAsync<Registered>())!;
        Assert.Equal($"{stage}/tenant/{registered.TenantId}", registration.Headers.Location!.OriginalString);

        // The template runs the app in Production, where the dev mailbox is not served: the temporary password is
        // read where the local identity provider keeps it on the host.
        using var mailbox = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, stage + "/dev/mailbox"));
        await mailbox.ShouldBe(HttpStatusCode.NotFound);
        var temporaryPassword = LocalMailbox.TemporaryPassword(package.DataDirectory, registered.TenantAdminUserName);
        using var challenge = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, stage + "/auth/signin", json: new { userName = registered.TenantAdminUserName, password = temporaryPassword }));
        await challenge.ShouldBe(HttpStatusCode.OK);
        var session = (await challenge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetString();
        using var answered = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, stage + "/auth/new-password", json: new { userName = registered.TenantAdminUserName, session, newPassword = ApiClient.NewPassword }));
        await answered.ShouldBe(HttpStatusCode.OK);
        var tokens = (await answered.Content.ReadFromJsonAsync<Tokens>())!;

        using var read = ProxiedApp.FromGateway(HttpMethod.Get, registration.Headers.Location.OriginalString);
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.IdToken);
        using var tenant = await http.SendAsync(read);
        await tenant.ShouldBe(HttpStatusCode.OK);
        var body = await tenant.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, body.GetProperty("tenantName").GetString());
        Assert.Equal("Standard", body.GetProperty("tenantTier").GetString());
    }

    [Fact]
    public async Task SwaggerUiAndOpenApiThroughThePackageNameTheStage()
    {
        var stage = package.Environment["Hosting__PathBase"];
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = package.BaseAddress };

        using var redirect = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, stage + "/swagger"));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        var index = new Uri(new Uri(package.BaseAddress, stage + "/swagger"), redirect.Headers.Location!);
        Assert.Equal(stage + "/swagger/index.html", index.AbsolutePath);
        using var page = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, index.PathAndQuery));
        await page.ShouldBe(HttpStatusCode.OK);

        using var document = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Get, stage + "/openapi/v1.json"));
        await document.ShouldBe(HttpStatusCode.OK);
        var server = Assert.Single((await document.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("servers").EnumerateArray());
        Assert.Equal($"https://{ProxiedApp.PublicHost}{stage}", server.GetProperty("url").GetString());
    }
}
