namespace SaasOnboarding.Api.Tenants;

/// <summary>The workshop's tiers. Accepted in any case, answered in this spelling.</summary>
public static class TenantTiers
{
    public static readonly IReadOnlyList<string> All = ["Basic", "Standard", "Premium", "Platinum"];

    public static string? Canonical(string value) =>
        All.FirstOrDefault(tier => string.Equals(tier, value, StringComparison.OrdinalIgnoreCase));
}
