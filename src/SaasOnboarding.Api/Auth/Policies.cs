using Microsoft.AspNetCore.Authorization;
using SaasOnboarding.Api.Tenancy;

namespace SaasOnboarding.Api.Auth;

/// <summary>The authorization policies every endpoint names one of.</summary>
public static class Policies
{
    /// <summary>Provider staff: the SystemAdmin role, honoured only from the operations pool.</summary>
    public const string SystemAdmin = nameof(SystemAdmin);

    /// <summary>A tenant's administrator.</summary>
    public const string TenantAdmin = nameof(TenantAdmin);

    /// <summary>Any user of a tenant, administrator or not.</summary>
    public const string TenantUser = nameof(TenantUser);

    /// <summary>Provider staff, or a tenant's administrator (handlers narrow it to that tenant).</summary>
    public const string SystemOrTenantAdmin = nameof(SystemOrTenantAdmin);

    /// <summary>Provider staff, or any user of a tenant (handlers narrow it).</summary>
    public const string AnyUser = nameof(AnyUser);

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(SystemAdmin, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller(context) is { IsSystemAdmin: true }));
        options.AddPolicy(TenantAdmin, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
            Caller(context)?.IsTenantMember(Roles.TenantAdmin) == true));
        options.AddPolicy(TenantUser, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
            Caller(context)?.IsTenantMember(Roles.TenantAdmin, Roles.TenantUser) == true));
        options.AddPolicy(SystemOrTenantAdmin, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
            Caller(context) is { } caller && (caller.IsSystemAdmin || caller.IsTenantMember(Roles.TenantAdmin))));
        options.AddPolicy(AnyUser, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
            Caller(context) is { } caller && (caller.IsSystemAdmin || caller.IsTenantMember(Roles.TenantAdmin, Roles.TenantUser))));

        // No fallback policy: it would also guard the router's own 404/405/415 answers, turning them into 401s.
        // Instead every endpoint names a policy or AllowAnonymous, and a test fails on any that does neither.
    }

    /// <summary>
    /// The request's caller as tenant resolution made it (the directory's role, the verifying pool): the roles'
    /// rules live once, in <see cref="TenantContext"/>.
    /// </summary>
    private static TenantContext? Caller(AuthorizationHandlerContext context) =>
        (context.Resource as HttpContext)?.RequestServices.GetRequiredService<TenantContext>();
}
