using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.RegularExpressions;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Where the app sits behind a proxy (<c>Hosting</c>). Behind API Gateway the public address is
/// <c>https://{api}.execute-api.{region}.amazonaws.com/{stage}/</c>: <see cref="PathBase"/> is <c>/{stage}</c>.
/// </summary>
public sealed partial class HostingOptions : IValidatableObject
{
    public const string Section = "Hosting";

    /// <summary>
    /// The base path the public address carries, e.g. <c>/Prod</c>; empty when the app is served at the root.
    /// When set, X-Forwarded-Prefix is ignored: the setting, not a request header, says where the app lives.
    /// </summary>
    public string? PathBase { get; set; }

    /// <summary>Proxies, besides loopback, whose X-Forwarded-For, -Proto and -Prefix headers are believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>
    /// Believe X-Forwarded-* from any address. Only for a proxy that overwrites those headers and that clients
    /// cannot bypass; otherwise a client could choose its own IP address and escape the rate limits.
    /// </summary>
    public bool TrustAnyProxy { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(PathBase) && !PathBasePattern().IsMatch(PathBase))
        {
            yield return new ValidationResult(
                $"{Section}:PathBase '{PathBase}' must start with '/' and hold path segments of letters, digits and -._~, without a trailing '/' (e.g. /Prod).",
                [nameof(PathBase)]);
        }

        foreach (var proxy in KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"{Section}:KnownProxies holds '{proxy}', which is not an IP address.", [nameof(KnownProxies)]);
            }
        }
    }

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+$")]
    private static partial Regex PathBasePattern();
}
