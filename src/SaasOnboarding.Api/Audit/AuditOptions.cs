namespace SaasOnboarding.Api.Audit;

/// <summary>Settings of the audit log (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>How long an entry is kept; older entries are deleted by the retention pass.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often the retention pass runs.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many tenants' own logs (their products' and orders' entries) a pass prunes, going on where the last pass
    /// stopped: a pass does not visit every tenant database, and every tenant is visited once a round.
    /// </summary>
    public int TenantsPerPass { get; set; } = 100;
}
