using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;
using SaasOnboarding.Api.Users;

namespace SaasOnboarding.Api.Tenants;

/// <summary>
/// A tenant's data out as one bundle (<see cref="ExportFormat"/>, docs/export-format.md), and a new tenant made from
/// one. The export streams: it reads the child database a page at a time and writes each page's lines before it
/// reads the next. The import keeps the body in a temporary file, checks all of it, then makes the tenant through the
/// registration saga, so that a bundle it refuses creates nothing and a failure half-way is undone.
/// </summary>
public static class ExportApi
{
    /// <summary>Records read from the child database a page at a time, and written to the store in batches of as many.</summary>
    public const int PageSize = 200;

    public static RouteGroupBuilder MapExportApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).WithTags("Tenants").RequireManagementRateLimits();
        group.MapGet("/tenant/{tenantId}/export", ExportTenant)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .DisallowStoring()
            .Produces<string>(StatusCodes.Status200OK, ExportFormat.MediaType)
            .WithSummary("Download a tenant's data: the tenant, its users (no passwords), products and orders")
            .WithDescription("JSON Lines (docs/export-format.md): a manifest line, one line per record, and an end line with the counts. Streamed; a bundle without its end line was cut short.");
        group.MapPost("/tenants/import", ImportTenant)
            .RequireAuthorization(Policies.SystemAdmin)
            .Accepts<string>(ExportFormat.MediaType)
            .WithMetadata(new LargeRequestBody(RequestSizeLimit.MaxImportBytes))
            .WithSummary("Make a new tenant from an export bundle (SystemAdmin)")
            .WithDescription("A new tenant id, the bundle's tenant fields, products and orders with their ids, and its users with new temporary passwords emailed to them. A bundle that is not understood answers 400 naming the line and field, and creates nothing.");
        return group;
    }

    public static async Task<Results<EmptyHttpResult, NotFound>> ExportTenant(
        string tenantId,
        TenantContext caller,
        ITenantCatalog catalog,
        ITenantDatabases databases,
        TenantMembers members,
        TimeProvider time,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (await TenantsApi.FindAsync(tenantId, caller, catalog, cancellationToken) is not { } tenant)
        {
            return TypedResults.NotFound();
        }

        var options = json.Value.SerializerOptions;
        response.ContentType = ExportFormat.MediaType;
        response.Headers.ContentDisposition = $"attachment; filename=\"tenant-{tenant.Id}-export.jsonl\"";
        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter((IBufferWriter<byte>)body);

        void Write<T>(T line)
        {
            JsonSerializer.Serialize(writer, line, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
            writer.Flush();
            body.Write("\n"u8);
            writer.Reset();
        }

        Write(new ExportManifest(ExportFormat.Name, ExportFormat.Version, time.GetUtcNow(), tenant.Id));
        Write(new ExportTenant(
            ExportFormat.TenantType, tenant.Id, tenant.TenantName, tenant.TenantEmail, tenant.TenantPhone, tenant.TenantAddress, tenant.TenantTier,
            tenant.IsActive, tenant.CreatedAt, tenant.UpdatedAt));
        int users = 0, products = 0, orders = 0;
        await foreach (var user in members.UsersOfAsync(tenant.Id, cancellationToken))
        {
            // A tenant that does not serve (inactive, offboarding) has every user disabled with it; each user's own
            // standing is its mapping's, as activation reads it.
            var enabled = tenant.IsActive
                ? user.Enabled
                : await catalog.GetTenantUserAsync(user.UserName, cancellationToken) is var mapping
                    && TenantUserRules.ReenabledOnActivation(tenant.Id, mapping is null ? null : (mapping.TenantId, mapping.Enabled));
            Write(new ExportUser(ExportFormat.UserType, user.UserName, user.Email, user.UserRole, enabled, UserMapping.StatusName(user.Status), user.CreatedAt));
            users++;
        }

        await body.FlushAsync(cancellationToken);
        var database = databases.Open(tenant.Id);
        string? nextToken = null;
        do
        {
            var page = await database.ListProductsAsync(PageSize, nextToken, cancellationToken);
            foreach (var product in page.Items)
            {
                Write(new ExportProduct(
                    ExportFormat.ProductType, product.Id, product.Name, product.Description, product.Sku, product.Price, product.Quantity,
                    product.BackorderedLimit, product.CreatedAt, product.UpdatedAt));
            }

            products += page.Items.Count;
            await body.FlushAsync(cancellationToken);
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        do
        {
            var page = await database.ListOrdersAsync(PageSize, nextToken, cancellationToken);
            foreach (var order in page.Items)
            {
                Write(new ExportOrder(
                    ExportFormat.OrderType, order.Id, order.OrderName, order.CreationDate, order.Status,
                    [.. order.OrderProducts.Select(line => new ExportOrderLine(line.ProductId, line.ProductName, line.ProductSku, line.ProductDescription, line.Quantity, line.Price))]));
            }

            orders += page.Items.Count;
            await body.FlushAsync(cancellationToken);
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        Write(new ExportEnd(ExportFormat.EndType, users, products, orders));
        await body.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }

    public static async Task<Results<Created<ImportResponse>, ValidationProblem, ProblemHttpResult>> ImportTenant(
        HttpRequest request,
        RegistrationSaga saga,
        ITenantDatabases databases,
        IUserDirectory directory,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        CancellationToken cancellationToken)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals(ExportFormat.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the bundle as {ExportFormat.MediaType}.");
        }

        await using var file = new FileStream(
            Path.Combine(Path.GetTempPath(), "saas-import-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await request.Body.CopyToAsync(file, cancellationToken);

        var bundle = new TenantBundle(json.Value.SerializerOptions, databases.KeepsRecordId);
        TenantBundlePlan plan;
        try
        {
            file.Position = 0;
            plan = await bundle.ReadAsync(file, onProduct: null, onOrder: null, cancellationToken);
        }
        catch (BundleProblemException problem)
        {
            return Refused(problem);
        }

        foreach (var (line, user) in plan.Users)
        {
            if (await directory.GetUserAsync(UserPool.Tenant, user.UserName, cancellationToken) is not null)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "User name taken",
                    detail: $"Line {line}: another user of the tenant pool is named '{user.UserName}'.",
                    extensions: new Dictionary<string, object?> { ["line"] = line, ["field"] = "userName" });
            }
        }

        var registered = await saga.ImportAsync(
            plan.Tenant,
            new TenantImport(plan.AdminEmail ?? plan.Tenant.TenantEmail, (database, token) => WriteDataAsync(bundle, file, database, token), [.. plan.Users.Select(user => user.User)]));
        if (registered is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Tenant name taken",
                detail: "Another tenant already has this name (names are compared ignoring case, spacing and look-alike forms).",
                extensions: new Dictionary<string, object?> { ["line"] = 2, ["field"] = "tenantName" });
        }

        return TypedResults.Created(
            ResourceLinks.PathTo(request.HttpContext, nameof(TenantsApi.GetTenant), new() { ["tenantId"] = registered.TenantId }),
            new ImportResponse(
                registered.TenantId,
                registered.TenantName,
                registered.TenantAdminUserName,
                plan.Users.Count + 1,
                plan.Products,
                plan.Orders,
                $"Tenant imported. Its users' temporary passwords were sent to their email addresses; {registered.TenantAdminUserName} is its admin."));
    }

    /// <summary>The bundle's products and orders, read again from the checked file and written in batches.</summary>
    private static async Task WriteDataAsync(TenantBundle bundle, Stream file, ITenantDatabase database, CancellationToken cancellationToken)
    {
        var products = new List<Product>(PageSize);
        var orders = new List<Order>(PageSize);
        async Task FlushAsync(int atLeast)
        {
            if (products.Count + orders.Count >= atLeast)
            {
                await database.ImportAsync(products, orders, cancellationToken);
                products.Clear();
                orders.Clear();
            }
        }

        file.Position = 0;
        await bundle.ReadAsync(
            file,
            async product =>
            {
                products.Add(product);
                await FlushAsync(PageSize);
            },
            async order =>
            {
                orders.Add(order);
                await FlushAsync(PageSize);
            },
            cancellationToken);
        await FlushAsync(1);
    }

    private static ValidationProblem Refused(BundleProblemException problem) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [problem.Field] = [problem.Problem] },
        detail: $"Line {problem.Line}, {problem.Field}: {problem.Problem} Nothing was created.",
        title: "The bundle cannot be imported",
        extensions: new Dictionary<string, object?> { ["line"] = problem.Line, ["field"] = problem.Field });
}
