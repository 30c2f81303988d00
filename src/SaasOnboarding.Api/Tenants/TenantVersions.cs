using System.Globalization;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// A tenant's version is its stored <c>UpdatedAt</c>, which every write to the tenant sets; its <c>ETag</c> is
/// derived from the tenant id and that value as the store keeps it (whole microseconds), so that the tag a write
/// answers equals the tag a later read answers. A write passes the version it read to the store, which compares it
/// inside the write itself.
/// </summary>
public static class TenantVersions
{
    public static string ETagOf(Tenant tenant) =>
        Preconditions.ETagOf(tenant.Id + "/" + tenant.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The <c>UpdatedAt</c> a write of a tenant last written at <paramref name="current"/> sets: now, but at least one
    /// microsecond (the stores' precision) later, so that every write gives a new version even when clocks repeat.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset current, DateTimeOffset now)
    {
        var floor = current.AddTicks(TimeSpan.TicksPerMicrosecond);
        return now >= floor ? now : floor;
    }

    /// <summary>
    /// The version the store must still hold for the write to go ahead: the one read, when the request carries
    /// <c>If-Match</c> with tags (which <see cref="Preconditions.IfMatchAllows"/> has accepted against it); null
    /// without <c>If-Match</c> or with <c>If-Match: *</c>, which any existing tenant matches.
    /// </summary>
    public static DateTimeOffset? Expected(HttpRequest request, Tenant read) =>
        Preconditions.NamesVersions(request) ? read.UpdatedAt : null;
}
