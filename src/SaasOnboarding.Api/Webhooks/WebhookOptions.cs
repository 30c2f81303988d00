namespace SaasOnboarding.Api.Webhooks;

/// <summary>Settings of webhook delivery (section <c>Webhooks</c>, docs/webhooks.md).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The key that encrypts the endpoints' signing secrets at rest: 32 bytes in base64. Set this or
    /// <see cref="SecretKeyParameterName"/>; with neither, a key file is made in the directory <c>Storage:Embedded:DataDirectory</c> names.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>An SSM Parameter Store SecureString holding <see cref="SecretKey"/>, read once.</summary>
    public string? SecretKeyParameterName { get; set; }

    /// <summary>True: an endpoint may be an <c>http</c> address (otherwise <c>https</c> only).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>True: an endpoint may be a loopback, private or link-local address (otherwise refused at create and at connect).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How often the dispatcher looks for events to deliver.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one request to an endpoint may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts at one event, the first included; after the last the event is logged as failed and skipped.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; doubled at each further one, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an outbox event is kept once every endpoint has passed it (or there is none); older ones are pruned.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the outbox is pruned.</summary>
    public TimeSpan OutboxPruneInterval { get; set; } = TimeSpan.FromHours(1);
}
