using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// A tenant's descriptive fields, checked and normalized (trimmed; the tier in its canonical spelling). A name is
/// letters (of any script, but not Latin, Greek and Cyrillic mixed), digits, spaces and <c>- _ . ' &amp;</c>; it is
/// unique in the form <see cref="TenantNames.Normalize"/> gives it.
/// </summary>
public sealed record TenantFields(string? TenantName, string? TenantEmail, string? TenantPhone, string? TenantAddress, string? TenantTier)
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// Checks the fields; with <paramref name="required"/> name, email and tier must be present, otherwise an
    /// absent field means "leave as it is".
    /// </summary>
    public static TenantFields Check(
        FieldErrors errors, string? tenantName, string? tenantEmail, string? tenantPhone, string? tenantAddress, string? tenantTier, bool required)
    {
        var name = errors.Text("tenantName", tenantName, required, MaxNameLength, IsName, "Use letters, digits, spaces and - _ . ' & only.");
        if (name is not null && TenantNames.MixesScripts(name))
        {
            errors.Add("tenantName", "Use letters of one script only: Latin, Greek and Cyrillic letters look alike and cannot be mixed in one name.");
            name = null;
        }

        var email = errors.Email("tenantEmail", tenantEmail, required);
        var phone = errors.Text("tenantPhone", tenantPhone, required: false, 32, IsPhone, "Use digits, spaces and + ( ) - . only, at least 3 characters.");
        var address = errors.Text("tenantAddress", tenantAddress, required: false, 256);
        var tier = errors.Text("tenantTier", tenantTier, required, 16, value => TenantTiers.Canonical(value) is not null, "Must be one of " + string.Join(", ", TenantTiers.All) + ".");
        return new TenantFields(name, email, phone, address, tier is null ? null : TenantTiers.Canonical(tier));
    }

    private static bool IsName(string value) =>
        value.Any(char.IsLetterOrDigit) && value.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '\'' or '&');

    private static bool IsPhone(string value) =>
        value.Length >= 3 && value.Any(char.IsAsciiDigit) && value.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '(' or ')' or '-' or '.');
}
