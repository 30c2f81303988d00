using System.ComponentModel.DataAnnotations;

namespace SaasOnboarding.Api.Storage.Embedded;

public sealed class EmbeddedStorageOptions
{
    public const string Section = "Storage:Embedded";

    /// <summary>Holds <c>catalog.db</c> and one <c>tenant_&lt;id&gt;.db</c> per tenant. Relative paths resolve against the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";
}
