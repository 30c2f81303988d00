using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SaasOnboarding.Testing;

/// <summary>
/// A webhook receiver on a loopback port (HttpListener): it keeps every request it gets and answers 204, or what
/// <see cref="Answer"/> decides for a request. <see cref="Stop"/> closes the port (connections refused);
/// <see cref="Start"/> opens it again on the same port.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly int _port = ChildProcess.FreePort();
    private HttpListener? _listener;

    public WebhookReceiver() => Start();

    public string Url => $"http://127.0.0.1:{_port}/hook";

    /// <summary>Every request answered with 2xx, in the order they came.</summary>
    public ConcurrentQueue<ReceivedWebhook> Accepted { get; } = new();

    /// <summary>Every request, whatever its answer.</summary>
    public ConcurrentQueue<ReceivedWebhook> All { get; } = new();

    /// <summary>The status to answer a request with; 204 when null.</summary>
    public Func<ReceivedWebhook, int>? Answer { get; set; }

    public void Start()
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => ServeAsync(listener));
    }

    public void Stop()
    {
        _listener?.Close();
        _listener = null;
    }

    /// <summary>The accepted events of <paramref name="tenantId"/>, in arrival order.</summary>
    public List<ReceivedWebhook> Of(string tenantId) => [.. Accepted.Where(received => received.Subject == tenantId)];

    /// <summary>Waits until <paramref name="condition"/> holds, at most <paramref name="seconds"/> seconds.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, seconds);

    /// <inheritdoc cref="WaitUntilAsync(Func{bool}, string, int)"/>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Waited in vain for " + what);
            }

            await Task.Delay(50);
        }
    }

    public void Dispose() => Stop();

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var received = new ReceivedWebhook(
                context.Request.Headers["webhook-id"],
                context.Request.Headers["webhook-timestamp"],
                context.Request.Headers["webhook-signature"],
                context.Request.ContentType,
                body);
            All.Enqueue(received);
            var status = Answer?.Invoke(received) ?? 204;
            if (status is >= 200 and < 300)
            {
                Accepted.Enqueue(received);
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
public sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string? ContentType, string Body)
{
    private JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Type => Json.GetProperty("type").GetString();

    public string? Subject => Json.TryGetProperty("subject", out var subject) ? subject.GetString() : null;

    public long? Sequence => Json.TryGetProperty("sequence", out var sequence) ? sequence.GetInt64() : null;

    public string EventId => Json.GetProperty("id").GetString()!;

    /// <summary>
    /// The check a receiver makes (docs/webhooks.md), written here from the documented steps rather than taken from
    /// the app: HMAC-SHA256 keyed with the base64 after <c>whsec_</c>, over <c>{id}.{timestamp}.{body}</c>, compared
    /// in constant time with each <c>v1,</c> signature of the header.
    /// </summary>
    public bool SignatureIsValid(string secret)
    {
        if (Id is null || Timestamp is null || Signature is null)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}"));
        return Signature.Split(' ').Any(part => part.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(part[3..]), expected));
    }
}
