using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Testing;

/// <summary>One request as the fake saw it.</summary>
public sealed record CapturedRequest(string Operation, Uri? Uri, IReadOnlyDictionary<string, string> Headers, string RawBody, JsonNode Body);

/// <summary>
/// An HTTP stand-in for Cognito's JSON 1.1 endpoint, plugged in as the adapter's primary HTTP handler: it records
/// each request and answers with what the test scripts.
/// </summary>
public sealed class FakeCognito : HttpMessageHandler
{
    private readonly Func<CapturedRequest, int, (HttpStatusCode Status, string Body)> _answer;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private int _count;

    public FakeCognito(Func<CapturedRequest, int, (HttpStatusCode Status, string Body)> answer) => _answer = answer;

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public const string Region = "eu-central-1";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Identity:Provider"] = "Cognito",
        ["Identity:Cognito:Region"] = Region,
        ["Identity:Cognito:OperationsUserPoolId"] = Region + "_Operations1",
        ["Identity:Cognito:OperationsClientId"] = "operationsclient1",
        ["Identity:Cognito:TenantUserPoolId"] = Region + "_Tenant1",
        ["Identity:Cognito:TenantClientId"] = "tenantclient1",
        ["Identity:Cognito:RetryBaseDelay"] = "00:00:00.001",
    };

    /// <summary>The app's registration of the Cognito adapter, talking to this fake.</summary>
    public ServiceProvider BuildServices(ILoggerProvider? logs = null, Amazon.Runtime.AWSCredentials? credentials = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(Settings());
        builder.AddIdentityProvider();
        CognitoLocalFixture.UseTestCredentials(builder.Services, credentials);
        builder.Services.AddHttpClient(Api.Identity.Cognito.CognitoClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => this);
        if (logs is not null)
        {
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        }

        return builder.Services.BuildServiceProvider();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken);
        var target = headers.GetValueOrDefault("X-Amz-Target") ?? string.Empty;
        var captured = new CapturedRequest(target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..], request.RequestUri, headers, body, JsonNode.Parse(body)!);
        _requests.Enqueue(captured);
        var (status, answer) = _answer(captured, Interlocked.Increment(ref _count));
        return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, "application/x-amz-json-1.1") };
    }

    public static (HttpStatusCode, string) Ok(string body = "{}") => (HttpStatusCode.OK, body);

    public static (HttpStatusCode, string) Error(HttpStatusCode status, string type, string message = "refused") =>
        (status, new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString());

    public static string User(string userName, string tenantId = "tenant1") => new JsonObject
    {
        ["Username"] = userName,
        ["Attributes"] = new JsonArray(
            new JsonObject { ["Name"] = "email", ["Value"] = userName + "@example.com" },
            new JsonObject { ["Name"] = "custom:tenantId", ["Value"] = tenantId },
            new JsonObject { ["Name"] = "custom:userRole", ["Value"] = "TenantUser" }),
        ["Enabled"] = true,
        ["UserStatus"] = "CONFIRMED",
        ["UserCreateDate"] = 1.7e9,
    }.ToJsonString();
}
