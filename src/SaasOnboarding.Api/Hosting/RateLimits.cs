using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Every route but health, documents and pages is limited, with 429 and Retry-After beyond a limit: per client address
/// on the public routes that cost a password hash, per tenant on the data plane, and per caller and per tenant on
/// tenant and user management. IPv6 clients are counted per /64, the block one subscriber usually holds, so that
/// walking through one's own addresses does not multiply the budget. One rule for every limit: on a store that
/// instances share, it is counted in the store, so that N instances grant one budget, not N (docs/scaling.md);
/// otherwise (the embedded store, one process) in memory (<see cref="FixedWindow"/>).
/// </summary>
public static class RateLimits
{
    public const string Registration = "registration";
    public const string Auth = "auth";
    public const string Tenant = "tenant";

    /// <summary>The key prefixes of the management limits' windows, apart from the data plane's.</summary>
    private const string ManagementCaller = "management-caller";
    private const string ManagementTenant = "management-tenant";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<RateLimitOptions, RateLimitOptionsValidator>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDuration($"{RateLimitOptions.Section}:Window", o => o.Window, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            .ValidateDuration($"{RateLimitOptions.Section}:TenantWindow", o => o.TenantWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            .ValidateDuration($"{RateLimitOptions.Section}:ManagementWindow", o => o.ManagementWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Registration, context => PerClient(context, Registration, limits => limits.RegistrationPermits));
            options.AddPolicy(Auth, context => PerClient(context, Auth, limits => limits.AuthPermits));
            options.AddPolicy(Tenant, PerTenant);

            // Management limits are global limiters that apply only to endpoints marked with ManagementRoute:
            // one endpoint policy cannot hold two limits (the caller's and the tenant's) at once.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(ManagementPerCaller),
                PartitionedRateLimiter.Create<HttpContext, string>(ManagementPerTenant));
            options.OnRejected = async (context, _) =>
            {
                var caller = context.HttpContext.RequestServices.GetRequiredService<TenantContext>();
                Telemetry.RateLimitRejected(caller.TenantId, caller.TenantTier, (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
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
        return FixedWindow(context, $"{Tenant}:{caller.TenantId}:{tier}", permits, limits.TenantWindow);
    }

    /// <summary>
    /// A fixed window of <paramref name="permits"/> per <paramref name="window"/> for <paramref name="key"/>: counted in
    /// the store when instances share it (<see cref="SharedWindowLimiter"/>), in this process's memory otherwise.
    /// </summary>
    private static RateLimitPartition<string> FixedWindow(HttpContext context, string key, int permits, TimeSpan window)
    {
        var catalog = context.RequestServices.GetRequiredService<ITenantCatalog>();
        if (catalog.SharedByInstances)
        {
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            return RateLimitPartition.Get(key, partition => new SharedWindowLimiter(catalog, partition, permits, window, time));
        }

        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });
    }

    /// <summary>Marks tenant and user management endpoints for the per-caller and per-tenant management limits.</summary>
    public static TBuilder RequireManagementRateLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(ManagementRoute.Instance);

    private static RateLimitPartition<string> ManagementPerCaller(HttpContext context)
    {
        // Every request passes the global limiter: the endpoint's metadata is read first, services only for management.
        if (context.GetEndpoint()?.Metadata.GetMetadata<ManagementRoute>() is null
            || context.RequestServices.GetRequiredService<TenantContext>() is not { Pool: { } pool } caller)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return FixedWindow(context, $"{ManagementCaller}:{pool}:{caller.UserName}", limits.ManagementCallerPermits, limits.ManagementWindow);
    }

    private static RateLimitPartition<string> ManagementPerTenant(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ManagementRoute>() is null
            || context.RequestServices.GetRequiredService<TenantContext>().TenantId is not { } tenantId)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return FixedWindow(context, $"{ManagementTenant}:{tenantId}", limits.ManagementTenantPermits, limits.ManagementWindow);
    }

    /// <summary>The client an address counts for: IPv4 addresses one by one, IPv6 addresses by their /64.</summary>
    internal static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, string policy, Func<RateLimitOptions, int> permits)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return FixedWindow(context, $"{policy}:{ClientKey(context.Connection.RemoteIpAddress)}", permits(limits), limits.Window);
    }
}
