using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Registrations per client IP per window.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int RegistrationPermits { get; set; } = 10;

    /// <summary>Sign-in, new-password and refresh calls per client IP per window.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int AuthPermits { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Data-plane requests per tenant per <see cref="TenantWindow"/>, by tier. Each tenant has its own bucket, so
    /// one tenant's burst never spends another's.
    /// </summary>
    public Dictionary<string, int> TenantPermits { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Basic"] = 50,
        ["Standard"] = 100,
        ["Premium"] = 250,
        ["Platinum"] = 500,
    };

    public TimeSpan TenantWindow { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Per-IP limits on the public endpoints that cost a password hash: 429 with Retry-After beyond them.</summary>
public static class RateLimits
{
    public const string Registration = "registration";
    public const string Auth = "auth";
    public const string Tenant = "tenant";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<RateLimitOptions, RateLimitOptionsValidator>().BindConfiguration(RateLimitOptions.Section);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Registration, context => PerClient(context, limits => limits.RegistrationPermits));
            options.AddPolicy(Auth, context => PerClient(context, limits => limits.AuthPermits));
            options.AddPolicy(Tenant, PerTenant);
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests",
                        detail: "Slow down and retry after the time in the Retry-After header.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>One window per tenant, as large as its tier allows; callers without a tenant share none.</summary>
    private static RateLimitPartition<string> PerTenant(HttpContext context)
    {
        var caller = context.RequestServices.GetRequiredService<TenantContext>();
        if (caller.TenantId is null)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var tier = caller.TenantTier ?? "Basic";
        var permits = limits.TenantPermits.TryGetValue(tier, out var configured) ? configured : limits.TenantPermits.Values.DefaultIfEmpty(50).Min();
        return RateLimitPartition.GetFixedWindowLimiter(caller.TenantId + ":" + tier, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = limits.TenantWindow,
            QueueLimit = 0,
        });
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, Func<RateLimitOptions, int> permits)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(limits),
            Window = limits.Window,
            QueueLimit = 0,
        });
    }
}

/// <summary>The attributes of <see cref="RateLimitOptions"/>, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
