using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Hosting;

/// <summary>The attributes of <see cref="RateLimitOptions"/>, checked by generated code: no reflection at start-up.</summary>
[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
