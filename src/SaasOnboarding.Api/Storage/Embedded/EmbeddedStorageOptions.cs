using System.ComponentModel.DataAnnotations;

namespace SaasOnboarding.Api.Storage.Embedded;

public sealed class EmbeddedStorageOptions
{
    public const string Section = "Storage:Embedded";

    /// <summary>Holds <c>catalog.db</c> and one <c>tenant_&lt;id&gt;.db</c> per tenant. Relative paths resolve against the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Open connections to tenant files kept idle, in all, with their prepared statements. Each costs some memory
    /// and three file descriptors; tenants beyond the bound open a connection per request instead, which is slower
    /// (mostly closing the file again).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxIdleConnections { get; set; } = SqliteChildConnections.DefaultMaxIdle;
}
