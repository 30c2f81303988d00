using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SaasOnboarding.Testing;

/// <summary>
/// SSM Parameter Store's GetParameter over its JSON 1.1 protocol, on 127.0.0.1 and a free port. A SecureString is
/// answered in plain text only when the request asks for decryption, as the real service does; every request is
/// kept for assertions.
/// </summary>
internal sealed class FakeSsm : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SsmCall> _calls = new();

    private FakeSsm(WebApplication app) => _app = app;

    public IReadOnlyList<SsmCall> Calls => _calls.ToList();

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeSsm> StartAsync(IReadOnlyDictionary<string, (string Type, string Value)> parameters)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSsm(app);
        app.MapPost("/", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            var call = new SsmCall(target, body.RootElement.Clone(), context.Request.Headers.Authorization.ToString(), context.Request.ContentType);
            fake._calls.Enqueue(call);
            context.Response.ContentType = "application/x-amz-json-1.1";
            if (target != "AmazonSSM.GetParameter")
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["__type"] = "UnknownOperationException" });
                return;
            }

            var name = call.Body.GetProperty("Name").GetString()!;
            if (!parameters.TryGetValue(name, out var parameter))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["__type"] = "ParameterNotFound", ["message"] = "not found" });
                return;
            }

            var decrypt = call.Body.TryGetProperty("WithDecryption", out var flag) && flag.ValueKind == JsonValueKind.True;
            var value = parameter.Type == "SecureString" && !decrypt ? "AQICAHgCIPHERTEXTnotTheSecret==" : parameter.Value;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["Parameter"] = new Dictionary<string, object>
                {
                    ["Name"] = name,
                    ["Type"] = parameter.Type,
                    ["Value"] = value,
                    ["Version"] = 3,
                    ["ARN"] = $"arn:aws:ssm:us-east-1:123456789012:parameter{name}",
                    ["DataType"] = "text",
                },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Url = new Uri(address);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record SsmCall(string Target, JsonElement Body, string Authorization, string? ContentType);
