using System.Text.Json.Serialization;
using SaasOnboarding.Api.Products;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// The tenant export bundle (docs/export-format.md): JSON Lines, one JSON object a line. The first line is the
/// <see cref="ExportManifest"/>; then one <c>tenant</c> line, the <c>user</c>, <c>product</c> and <c>order</c>
/// lines, and last an <c>end</c> line with the counts, whose absence tells a reader the bundle was cut short. Field
/// names are the API's. Every field is nullable so that a bundle missing one is refused naming it.
/// </summary>
public static class ExportFormat
{
    public const string Name = "saas-onboarding-export";

    /// <summary>The version this app writes and the only one it reads.</summary>
    public const int Version = 1;

    public const string MediaType = "application/x-ndjson";

    public const string TenantType = "tenant";
    public const string UserType = "user";
    public const string ProductType = "product";
    public const string OrderType = "order";
    public const string EndType = "end";
}

public sealed record ExportManifest(string? Format, int? Version, DateTimeOffset? ExportedAt, string? TenantId);

public sealed record ExportTenant(
    string? Type,
    string? Id,
    string? TenantName,
    string? TenantEmail,
    string? TenantPhone,
    string? TenantAddress,
    string? TenantTier,
    bool? IsActive,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

/// <summary>A user of the tenant, without any password material: an import gives it a new temporary password.</summary>
public sealed record ExportUser(string? Type, string? UserName, string? Email, string? UserRole, bool? Enabled, string? Status, DateTimeOffset? CreatedAt);

public sealed record ExportProduct(
    string? Type,
    string? Id,
    string? Name,
    string? Description,
    string? Sku,
    [property: JsonConverter(typeof(ExactPriceConverter))] decimal? Price,
    long? Quantity,
    long? BackorderedLimit,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

public sealed record ExportOrder(string? Type, string? Id, string? OrderName, DateTimeOffset? CreationDate, string? Status, IReadOnlyList<ExportOrderLine?>? OrderProducts);

public sealed record ExportOrderLine(
    string? ProductId,
    string? ProductName,
    string? ProductSku,
    string? ProductDescription,
    int? Quantity,
    [property: JsonConverter(typeof(ExactPriceConverter))] decimal? Price);

/// <summary>The last line: how many lines of each type came before it.</summary>
public sealed record ExportEnd(string? Type, int? Users, int? Products, int? Orders);

/// <summary>The answer to an import: the new tenant, its admin, and what was made.</summary>
public sealed record ImportResponse(string TenantId, string TenantName, string TenantAdminUserName, int Users, int Products, int Orders, string Message);
