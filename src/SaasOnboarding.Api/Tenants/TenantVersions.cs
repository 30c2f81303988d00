using System.Globalization;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// A tenant's version is its stored <c>UpdatedAt</c>, which every write to the tenant moves forward
/// (<see cref="StoredTime.Next"/>); its <c>ETag</c> is
/// derived from the tenant id and that value as the store keeps it (whole microseconds), so that the tag a write
/// answers equals the tag a later read answers. A write passes the version it read to the store, which compares it
/// inside the write itself.
/// </summary>
public static class TenantVersions
{
    public static string ETagOf(Tenant tenant) =>
        Preconditions.ETagOf(tenant.Id + "/" + tenant.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The version the store must still hold for the write to go ahead: the one read, when the request carries
    /// <c>If-Match</c> with tags (which <see cref="Preconditions.IfMatchAllows"/> has accepted against it); null
    /// without <c>If-Match</c> or with <c>If-Match: *</c>, which any existing tenant matches.
    /// </summary>
    public static DateTimeOffset? Expected(HttpRequest request, Tenant read) =>
        Preconditions.NamesVersions(request) ? read.UpdatedAt : null;
}
