using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Hosting;

/// <summary>Endpoint metadata: the management limits apply.</summary>
public sealed class ManagementRoute
{
    public static readonly ManagementRoute Instance = new();

    private ManagementRoute()
    {
    }
}
