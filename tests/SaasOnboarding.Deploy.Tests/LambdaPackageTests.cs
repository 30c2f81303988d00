using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace SaasOnboarding.Deploy.Tests;

/// <summary>The built package, started as Lambda would start it, reached as the adapter would reach it.</summary>
public sealed class LambdaPackageTests(LambdaPackage package) : IClassFixture<LambdaPackage>
{
    /// <summary>The newest glibc symbol version Amazon Linux 2023 (the provided.al2023 runtime) has: glibc 2.34.</summary>
    private static readonly Version RuntimeGlibc = new(2, 34);

    [Fact]
    public void PackageHoldsTheHandlerAndALinuxX64NativeAotExecutableForTheProvidedAl2023Runtime()
    {
        var handler = new FileInfo(Path.Combine(package.Directory, LambdaPackage.Handler));
        Assert.True(handler.Exists, "The handler the template names is not in the package");
        Assert.True(handler.UnixFileMode.HasFlag(UnixFileMode.UserExecute) && handler.UnixFileMode.HasFlag(UnixFileMode.OtherExecute), "The handler is not executable");

        // One native executable: an x86-64 ELF, with no managed assembly or runtime configuration beside it (the
        // OS-only runtime has no .NET runtime to load them).
        var app = Path.Combine(package.Directory, "SaasOnboarding.Api");
        var bytes = File.ReadAllBytes(app);
        Assert.Equal("\u007fELF"u8.ToArray(), bytes[..4]);
        Assert.Equal(0x3E, BitConverter.ToUInt16(bytes, 18)); // e_machine: EM_X86_64
        Assert.True(new FileInfo(app).UnixFileMode.HasFlag(UnixFileMode.UserExecute), "The app is not executable");
        Assert.Empty(System.IO.Directory.GetFiles(package.Directory, "*.dll"));
        Assert.Empty(System.IO.Directory.GetFiles(package.Directory, "*.runtimeconfig.json"));

        // It and the native SQLite library beside it ask for no glibc newer than the runtime's.
        var sqlite = Path.Combine(package.Directory, "libe_sqlite3.so");
        Assert.True(File.Exists(sqlite), "The linux-x64 native SQLite library is missing");
        foreach (var file in new[] { app, sqlite })
        {
            var versions = GlibcVersions(File.ReadAllBytes(file));
            Assert.NotEmpty(versions);
            Assert.True(versions.Max() <= RuntimeGlibc, $"{Path.GetFileName(file)} needs glibc {versions.Max()}; provided.al2023 has {RuntimeGlibc}");
        }

        Assert.True(File.Exists(Path.Combine(package.Directory, "appsettings.json")));
        Assert.True(System.IO.Directory.Exists(Path.Combine(package.Directory, "wwwroot")), "The browser pages are missing");
        Assert.False(System.IO.Directory.Exists(Path.Combine(package.Directory, "data")), "Local data must not ship in the package");
        Assert.Empty(System.IO.Directory.GetFiles(package.Directory, "*.dbg"));
    }

    [Fact]
    public async Task ReadinessPathAnswersOnTheAdaptersPortSoonAfterStart()
    {
        // The app took the adapter's port from AWS_LWA_PORT (bootstrap), and only loopback is needed.
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

    [Fact]
    public async Task TheSchedulesEventOnThePassThroughPathRunsThePassesAndThatPathThroughTheGatewayIsNotFound()
    {
        // Lambda sets AWS_LAMBDA_FUNCTION_NAME: the app knows it runs there.
        var path = package.Environment["AWS_LWA_PASS_THROUGH_PATH"];
        using var http = new HttpClient { BaseAddress = package.BaseAddress };

        // As the adapter hands on the schedule's event: to the pass-through path, with no stage.
        using var ran = await http.SendAsync(LambdaApp.FromAdapter(LambdaApp.ScheduledEventBody, path));
        await ran.ShouldBe(HttpStatusCode.OK);
        var passes = (await ran.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passes");
        Assert.Equal("ran", passes.GetProperty("webhook-delivery").GetString());
        Assert.True(passes.EnumerateObject().Count() >= 5, passes.ToString());
        Assert.DoesNotContain(passes.EnumerateObject(), pass => pass.Value.GetString() == "failed");

        // The same path through API Gateway (were it routed): the adapter sets the gateway's request context.
        var stage = package.Environment["Hosting__PathBase"];
        using var refused = await http.SendAsync(ProxiedApp.FromGateway(HttpMethod.Post, stage + path, json: JsonDocument.Parse(LambdaApp.ScheduledEventBody).RootElement));
        await refused.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>The glibc symbol versions an ELF file names (<c>GLIBC_2.34</c> and the like, in its version needs).</summary>
    private static List<Version> GlibcVersions(byte[] elf) =>
        [.. Regex.Matches(Encoding.Latin1.GetString(elf), @"GLIBC_(\d+\.\d+(?:\.\d+)?)\0")
            .Select(match => Version.Parse(match.Groups[1].Value))
            .Distinct()];
}
