using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Api.Registration;
/// <summary>Public sign-up of a new tenant.</summary>
public static class RegistrationApi
{
    public static RouteGroupBuilder MapRegistrationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/registration").WithTags("Registration").AllowAnonymous();
        group.MapPost("/", Register)
            .RequireRateLimiting(RateLimits.Registration)
            .WithSummary("Sign up a new tenant")
            .WithDescription("Creates the tenant, its own database, its group (with a group per tenant, the default) and its admin user `tenant-admin-<tenantId>`, whose temporary password is emailed to tenantEmail. All or nothing: 503 when the identity provider's group quota is reached.");
        return group;
    }

    public static async Task<Results<Created<RegistrationResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegistrationRequest request, RegistrationSaga saga, HttpContext http)
    {
        var errors = new FieldErrors();
        var fields = TenantFields.Check(errors, request.TenantName, request.TenantEmail, request.TenantPhone, request.TenantAddress, request.TenantTier, required: true);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var registered = await saga.RegisterAsync(new NewTenant(fields.TenantName!, fields.TenantEmail!, fields.TenantPhone, fields.TenantAddress, fields.TenantTier!));
        if (registered is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Tenant name taken",
                detail: "Another tenant already has this name (names are compared ignoring case, spacing and look-alike forms).",
                extensions: new Dictionary<string, object?> { ["field"] = "tenantName" });
        }

        return TypedResults.Created(
            ResourceLinks.PathTo(http, nameof(TenantsApi.GetTenant), new() { ["tenantId"] = registered.TenantId }),
            new RegistrationResponse(
                registered.TenantId,
                registered.TenantName,
                registered.TenantAdminUserName,
                $"Tenant registered. A temporary password for {registered.TenantAdminUserName} was sent to {fields.TenantEmail}."));
    }
}
