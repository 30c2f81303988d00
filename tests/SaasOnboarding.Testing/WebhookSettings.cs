namespace SaasOnboarding.Testing;

/// <summary>
/// The webhook settings of the apps that deliver to a receiver on loopback: http and loopback addresses allowed, a
/// pass every 100 ms, retries after 100 ms doubling to 400 ms, five attempts, so that no test waits long.
/// </summary>
public static class WebhookSettings
{
    public const int MaxAttempts = 5;

    /// <summary>The delivery settings alone: for an app that tests of other things share too (<see cref="BrowserApp"/>).</summary>
    public static Dictionary<string, string?> Delivery() => new()
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowPrivateAddresses"] = "true",
        ["Webhooks:DispatchInterval"] = "00:00:00.100",
        ["Webhooks:RetryDelay"] = "00:00:00.100",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.400",
        ["Webhooks:Timeout"] = "00:00:05",
        ["Webhooks:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The delivery settings, and offboarded tenants due for purge at once (the purge runs when a test asks for a pass).</summary>
    public static Dictionary<string, string?> Fast()
    {
        var settings = Delivery();
        settings["Offboarding:Retention"] = "00:00:00";
        settings["Offboarding:PurgeInterval"] = "01:00:00";
        return settings;
    }
}
