using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Products;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Users;

namespace SaasOnboarding.Api.Tenants;

/// <summary>What is wrong with a bundle: the line (from 1), the field, and why.</summary>
public sealed class BundleProblemException(int line, string field, string problem) : Exception($"Line {line}, {field}: {problem}")
{
    public int Line { get; } = line;

    public string Field { get; } = field;

    public string Problem { get; } = problem;
}

/// <summary>A checked bundle: the tenant to make and its users, with how many products and orders it holds.</summary>
public sealed record TenantBundlePlan(NewTenant Tenant, string? AdminEmail, IReadOnlyList<(int Line, ImportedUser User)> Users, int Products, int Orders);

/// <summary>
/// Reads an export bundle (<see cref="ExportFormat"/>) from a stream, a line at a time, and checks every line by the
/// rules the API applies to the same fields (<see cref="DataPlaneLimits"/>, <see cref="OrderStatus"/>, the request
/// checks of tenants, users and products), each id and SKU once in the bundle, ids the store can keep, and the end
/// line's counts. The first problem stops it (<see cref="BundleProblemException"/>). Products and orders go to the
/// callbacks as they are read, so a reader holds one line at a time (and the ids and SKUs seen).
/// </summary>
public sealed class TenantBundle(JsonSerializerOptions options, Func<string, bool> keepsRecordId)
{
    private const string KnownTypes = "tenant, user, product, order and end";

    public async Task<TenantBundlePlan> ReadAsync(
        Stream bundle, Func<Product, Task>? onProduct, Func<Order, Task>? onOrder, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(bundle, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var lineNo = 0;
        ExportManifest? manifest = null;
        NewTenant? tenant = null;
        string? adminEmail = null;
        var users = new List<(int, ImportedUser)>();
        var userNames = new HashSet<string>(StringComparer.Ordinal);
        var productIds = new HashSet<string>(StringComparer.Ordinal);
        var skuKeys = new HashSet<string>(StringComparer.Ordinal);
        var orderIds = new HashSet<string>(StringComparer.Ordinal);
        var ended = false;
        while (await ReadLineAsync(reader, lineNo + 1, cancellationToken) is { } text)
        {
            lineNo++;
            if (ended)
            {
                if (text.Length == 0)
                {
                    continue;
                }

                throw new BundleProblemException(lineNo, "type", "Nothing may follow the end line.");
            }

            if (manifest is null)
            {
                manifest = CheckManifest(lineNo, Parse<ExportManifest>(lineNo, Object(lineNo, text)));
                continue;
            }

            var root = Object(lineNo, text);
            var type = root.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString() : null;
            if (tenant is null && type != ExportFormat.TenantType)
            {
                throw new BundleProblemException(lineNo, "type", "The line after the manifest must be the tenant line.");
            }

            switch (type)
            {
                case ExportFormat.TenantType when tenant is null:
                    tenant = CheckTenant(lineNo, Parse<ExportTenant>(lineNo, root));
                    break;
                case ExportFormat.TenantType:
                    throw new BundleProblemException(lineNo, "type", "A bundle has one tenant line.");
                case ExportFormat.UserType:
                    var user = CheckUser(lineNo, Parse<ExportUser>(lineNo, root), userNames);
                    if (user.UserName == RegistrationSteps.TenantAdminUserName(manifest.TenantId!))
                    {
                        // The registration's admin is made again under the new tenant's admin name.
                        adminEmail = user.Email;
                    }
                    else
                    {
                        users.Add((lineNo, user));
                    }

                    break;
                case ExportFormat.ProductType:
                    var product = CheckProduct(lineNo, Parse<ExportProduct>(lineNo, root), productIds, skuKeys);
                    if (onProduct is not null)
                    {
                        await onProduct(product);
                    }

                    break;
                case ExportFormat.OrderType:
                    var order = CheckOrder(lineNo, Parse<ExportOrder>(lineNo, root), orderIds);
                    if (onOrder is not null)
                    {
                        await onOrder(order);
                    }

                    break;
                case ExportFormat.EndType:
                    CheckEnd(lineNo, Parse<ExportEnd>(lineNo, root), userNames.Count, productIds.Count, orderIds.Count);
                    ended = true;
                    break;
                default:
                    throw new BundleProblemException(lineNo, "type", type is null
                        ? $"Each line after the manifest has a type: {KnownTypes}."
                        : $"Unknown type '{type}'; version {ExportFormat.Version} has {KnownTypes}.");
            }
        }

        if (manifest is null)
        {
            throw new BundleProblemException(1, "format", "The bundle is empty: its first line must be the manifest.");
        }

        if (!ended)
        {
            throw new BundleProblemException(lineNo + 1, "type", "The bundle ends without its end line: it was cut short.");
        }

        return new TenantBundlePlan(tenant!, adminEmail, users, productIds.Count, orderIds.Count);
    }

    /// <summary>The next line without its end; null at the end of the stream.</summary>
    private static async Task<string?> ReadLineAsync(StreamReader reader, int lineNo, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw new BundleProblemException(lineNo, "body", "The bundle is not UTF-8 text.");
        }
    }

    private static JsonElement Object(int lineNo, string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BundleProblemException(lineNo, "body", "This line is not valid JSON: each line is one JSON object.");
        }

        return root.ValueKind == JsonValueKind.Object
            ? root
            : throw new BundleProblemException(lineNo, "body", "Each line is one JSON object.");
    }

    private T Parse<T>(int lineNo, JsonElement root)
    {
        try
        {
            return root.Deserialize((JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)))
                ?? throw new BundleProblemException(lineNo, "body", "Each line is one JSON object.");
        }
        catch (JsonException e)
        {
            var (field, problems) = ApiErrors.JsonFieldErrors(e).First();
            throw new BundleProblemException(lineNo, field, problems[0]);
        }
    }

    private static ExportManifest CheckManifest(int lineNo, ExportManifest manifest)
    {
        if (manifest.Format != ExportFormat.Name)
        {
            throw new BundleProblemException(lineNo, "format", $"The first line must be the manifest, with format \"{ExportFormat.Name}\".");
        }

        if (manifest.Version != ExportFormat.Version)
        {
            throw new BundleProblemException(lineNo, "version", $"This app reads version {ExportFormat.Version} of the format only.");
        }

        return manifest.TenantId is { } id && TenantIds.IsValid(id)
            ? manifest
            : throw new BundleProblemException(lineNo, "tenantId", "Must be a tenant id.");
    }

    private static NewTenant CheckTenant(int lineNo, ExportTenant tenant)
    {
        var errors = new FieldErrors();
        var fields = TenantFields.Check(errors, tenant.TenantName, tenant.TenantEmail, tenant.TenantPhone, tenant.TenantAddress, tenant.TenantTier, required: true);
        Throw(lineNo, errors);
        return new NewTenant(fields.TenantName!, fields.TenantEmail!, fields.TenantPhone, fields.TenantAddress, fields.TenantTier!);
    }

    private static ImportedUser CheckUser(int lineNo, ExportUser user, HashSet<string> userNames)
    {
        var errors = new FieldErrors();
        var userName = UserFields.UserName(errors, user.UserName);
        var email = errors.Email("email", user.Email, required: true);
        var role = UserFields.Role(errors, user.UserRole, required: true);
        if (user.Enabled is null)
        {
            errors.Add("enabled", "This field is required.");
        }

        Throw(lineNo, errors);
        return userNames.Add(userName!)
            ? new ImportedUser(userName!, email!, role!, user.Enabled!.Value)
            : throw new BundleProblemException(lineNo, "userName", "Another user line has this user name.");
    }

    private Product CheckProduct(int lineNo, ExportProduct line, HashSet<string> productIds, HashSet<string> skuKeys)
    {
        var errors = new FieldErrors();
        var id = Id(errors, "id", line.Id);
        var draft = new ProductRequest(line.Name, line.Sku, line.Price, line.Quantity is { } quantity ? (int)Math.Clamp(quantity, -1, int.MaxValue) : null, line.Description, line.BackorderedLimit is { } limit ? (int)Math.Clamp(limit, -1, int.MaxValue) : null)
            .Check(errors);
        if (line.BackorderedLimit is null)
        {
            errors.Add("backorderedLimit", "This field is required.");
        }

        Required(errors, "createdAt", line.CreatedAt);
        Required(errors, "updatedAt", line.UpdatedAt);
        Throw(lineNo, errors);
        if (!productIds.Add(id!))
        {
            throw new BundleProblemException(lineNo, "id", "Another product line has this id.");
        }

        if (!skuKeys.Add(Skus.Key(draft!.Sku)))
        {
            throw new BundleProblemException(lineNo, "sku", "Another product line has this SKU (SKUs are compared ignoring case).");
        }

        return new Product(
            id!, draft.Name, draft.Description, draft.Sku, draft.Price, draft.Quantity, draft.BackorderedLimit,
            StoredTime.Truncate(line.CreatedAt!.Value), StoredTime.Truncate(line.UpdatedAt!.Value));
    }

    private Order CheckOrder(int lineNo, ExportOrder line, HashSet<string> orderIds)
    {
        var errors = new FieldErrors();
        var id = Id(errors, "id", line.Id);
        var name = errors.Text("orderName", line.OrderName, required: true, Orders.OrderRequest.MaxNameLength);
        Required(errors, "creationDate", line.CreationDate);
        var status = errors.Text("status", line.Status, required: true, 32, OrderStatus.IsKnown, "Must be one of " + string.Join(", ", OrderStatus.All) + ".");
        var lines = new List<OrderLine>();
        if (line.OrderProducts is not { Count: > 0 and <= Orders.OrderRequest.MaxLines })
        {
            errors.Add("orderProducts", $"An order has 1 to {Orders.OrderRequest.MaxLines} lines.");
        }
        else
        {
            for (var i = 0; i < line.OrderProducts.Count; i++)
            {
                var orderLine = line.OrderProducts[i];
                var field = $"orderProducts[{i}].";
                var productId = errors.Text(field + "productId", orderLine?.ProductId, required: true, ITenantDatabases.MaxRecordIdLength);
                var productName = errors.Text(field + "productName", orderLine?.ProductName, required: true, ProductDraft.MaxNameLength);
                var productSku = errors.Text(field + "productSku", orderLine?.ProductSku, required: true, ProductDraft.MaxSkuLength);
                var description = errors.Text(field + "productDescription", orderLine?.ProductDescription, required: false, ProductDraft.MaxDescriptionLength);
                if (orderLine?.Quantity is not { } quantity || DataPlaneLimits.LineQuantityProblem(quantity) is not null)
                {
                    errors.Add(field + "quantity", DataPlaneLimits.LineQuantityProblem(orderLine?.Quantity ?? 0)!);
                    continue;
                }

                if (orderLine.Price is not { } price)
                {
                    errors.Add(field + "price", "This field is required.");
                    continue;
                }

                if (DataPlaneLimits.PriceProblem(price) is { } priceProblem)
                {
                    errors.Add(field + "price", priceProblem);
                    continue;
                }

                lines.Add(new OrderLine(productId ?? "", productName ?? "", productSku ?? "", description, quantity, price));
            }
        }

        Throw(lineNo, errors);
        return orderIds.Add(id!)
            ? new Order(id!, name!, StoredTime.Truncate(line.CreationDate!.Value), status!, lines)
            : throw new BundleProblemException(lineNo, "id", "Another order line has this id.");
    }

    private static void CheckEnd(int lineNo, ExportEnd end, int users, int products, int orders)
    {
        foreach (var (field, stated, counted) in new[] { ("users", end.Users, users), ("products", end.Products, products), ("orders", end.Orders, orders) })
        {
            if (stated != counted)
            {
                throw new BundleProblemException(lineNo, field, $"The bundle has {counted} {field[..^1]} lines; the end line says {stated?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}.");
            }
        }
    }

    private string? Id(FieldErrors errors, string field, string? id) =>
        errors.Text(field, id, required: true, ITenantDatabases.MaxRecordIdLength, keepsRecordId, "This store cannot keep this id.");

    private static void Required(FieldErrors errors, string field, object? value)
    {
        if (value is null)
        {
            errors.Add(field, "This field is required.");
        }
    }

    /// <summary>The first field error of the line, if any, as the bundle's problem.</summary>
    private static void Throw(int lineNo, FieldErrors errors)
    {
        if (!errors.IsValid)
        {
            var (field, problems) = errors.ToDictionary().First();
            throw new BundleProblemException(lineNo, field, problems[0]);
        }
    }
}
