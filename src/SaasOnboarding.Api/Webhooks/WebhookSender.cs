using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Webhooks;

/// <summary>
/// Sends one event to one endpoint, signed as Standard Webhooks signs (docs/webhooks.md): headers
/// <c>webhook-id</c> (the event's id, the same at every attempt and replay), <c>webhook-timestamp</c> (Unix seconds)
/// and <c>webhook-signature</c> (<c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, keyed with
/// the secret's bytes). The body is the CloudEvents 1.0 JSON document. No redirect is followed, a request gives up
/// after <see cref="WebhookOptions.Timeout"/>, and only a short excerpt of the answer is kept.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The CloudEvents <c>source</c> of every event.</summary>
    public const string Source = "/saasonboarding";

    /// <summary>The type of the event <c>POST /webhooks/{webhookId}/test</c> sends.</summary>
    public const string TestEventType = "saasonboarding.webhook.test";

    private const int ExcerptLength = 200;

    private readonly HttpClient _http;
    private readonly WebhookSecrets _secrets;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, WebhookSecrets secrets, TimeProvider time)
    {
        var settings = options.Value;
        _secrets = secrets;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => WebhookAddresses.ConnectAsync(context.DnsEndPoint, settings.AllowPrivateAddresses, cancellationToken),
        })
        {
            Timeout = settings.Timeout,
        };
    }

    /// <summary>The CloudEvents 1.0 JSON document of an outbox event.</summary>
    public static string Body(OutboxEvent change) => Body(change.Id, change.Type, change.TenantId, change.Sequence, change.Time, change.Data);

    /// <summary>The CloudEvents document of a test event to <paramref name="endpointId"/>.</summary>
    public static string TestBody(string id, string endpointId, DateTimeOffset time) =>
        Body(id, TestEventType, null, null, time, JsonSerializer.Serialize(new WebhookTestData(endpointId), WebhookJson.Default.WebhookTestData));

    /// <summary>The value of <c>webhook-signature</c>.</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var signed = HMACSHA256.HashData(WebhookSecrets.SigningKey(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(signed);
    }

    /// <summary>One attempt: delivered on a 2xx answer; anything else (another status, a timeout, a refused connection) failed.</summary>
    public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, string id, string body, CancellationToken cancellationToken)
    {
        var secret = await _secrets.UnprotectAsync(endpoint.Id, endpoint.ProtectedSecret, cancellationToken);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(secret, id, timestamp, body));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var excerpt = await ExcerptAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new WebhookAttempt(true, status, null, excerpt)
                : new WebhookAttempt(false, status, $"The endpoint answered {status}.", excerpt);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(false, null, e is TaskCanceledException ? "No answer within the timeout." : Truncate(e.Message), null);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Body(string id, string type, string? subject, long? sequence, DateTimeOffset time, string data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", id);
            writer.WriteString("source", Source);
            writer.WriteString("type", type);
            if (subject is not null)
            {
                writer.WriteString("subject", subject);
            }

            writer.WriteString("time", time.ToUniversalTime());
            writer.WriteString("datacontenttype", "application/json");
            if (sequence is { } place)
            {
                writer.WriteNumber("sequence", place);
            }

            writer.WritePropertyName("data");
            writer.WriteRawValue(data);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ExcerptLength * 4];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += count;
        }

        return read == 0 ? null : Truncate(Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static string Truncate(string text) => text.Length <= ExcerptLength ? text : text[..ExcerptLength];
}

/// <summary>What one attempt came to: the receiver's status when it answered, the error otherwise, and an excerpt of the answer.</summary>
public sealed record WebhookAttempt(bool Delivered, int? Status, string? Error, string? ResponseExcerpt);
