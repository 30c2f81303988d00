using Microsoft.AspNetCore.Http.HttpResults;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Api.Users;

/// <summary>
/// Users of the tenant pool. A tenant admin manages its own tenant's users; provider staff manage anyone's; a
/// tenant user reads only itself. Another tenant's user answers 404.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        // Any signed-in user (a tenant user reads only itself); the rest needs an admin, and the bulk changes provider staff.
        var group = endpoints.MapGroup(string.Empty).WithTags("Users").RequireAuthorization(Policies.AnyUser).RequireManagementRateLimits();
        group.MapPost("/user", CreateUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Create a tenant user; a tenant admin's own tenant is forced, provider staff name tenantId");
        group.MapGet("/users", ListUsers)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("List users: a tenant admin's own tenant; provider staff all users or those of `tenantId`");
        group.MapGet("/user/{userName}", GetUser).WithName(nameof(GetUser))
            .WithSummary("Read a user (a tenant user may read only itself)");
        group.MapPut("/user/{userName}", UpdateUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Change a user's email or role");
        group.MapDelete("/user/{userName}", DisableUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Disable a user: it can no longer sign in and its live tokens are refused");
        group.MapPut("/users/disable/{tenantId}", DisableTenantUsers)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Disable every user of a tenant");
        group.MapPut("/users/enable/{tenantId}", EnableTenantUsers)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Enable every user of a tenant");
        return group;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, NotFound, ProblemHttpResult>> CreateUser(
        CreateUserRequest request,
        TenantContext caller,
        ITenantCatalog catalog,
        IUserDirectory directory,
        HttpContext http,
        ILogger<CreateUserRequest> logger,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var userName = UserFields.UserName(errors, request.UserName);
        var email = errors.Email("userEmail", request.UserEmail, required: true);
        var role = UserFields.Role(errors, request.UserRole, required: true);
        var tenantId = caller.IsSystemAdmin
            ? errors.Text("tenantId", request.TenantId, required: true, 32, TenantIds.IsValid, "Must be a tenant id.")
            : caller.TenantId;
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var tenant = await catalog.GetTenantAsync(tenantId!, cancellationToken);
        if (tenant is null || !TenantStates.IsManaged(tenant.Status))
        {
            return TypedResults.NotFound();
        }

        if (!tenant.IsActive)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant is not active", detail: "Reactivate the tenant before adding users.");
        }

        var created = await directory.CreateUserAsync(UserPool.Tenant, new NewDirectoryUser(userName!, email!, tenantId!, role!), cancellationToken);
        try
        {
            await directory.AddUserToGroupAsync(UserPool.Tenant, userName!, tenantId!, cancellationToken);
            await catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId!, userName!, Enabled: true), cancellationToken);
        }
        catch (Exception failure)
        {
            // All or nothing: a user without its group or mapping could sign in but never act.
            logger.LogWarning(failure, "Creating user {UserName} in tenant {TenantId} failed; removing it", userName, tenantId);
            await directory.DeleteUserAsync(UserPool.Tenant, userName!, CancellationToken.None);
            await catalog.RemoveTenantUserAsync(userName!, CancellationToken.None);
            throw;
        }

        return TypedResults.Created(ResourceLinks.PathTo(http, nameof(GetUser), new() { ["userName"] = userName }), created.ToResponse());
    }

    public static async Task<Results<Ok<ListResponse<UserResponse>>, ValidationProblem, NotFound>> ListUsers(
        TenantContext caller, IUserDirectory directory, CancellationToken cancellationToken, int? limit = null, string? nextToken = null, string? tenantId = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (tenantId is not null && !TenantIds.IsValid(tenantId))
        {
            errors.Add("tenantId", "Must be a tenant id.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var group = caller.IsSystemAdmin ? tenantId : caller.TenantId;
        if (!caller.IsSystemAdmin && tenantId is not null && tenantId != caller.TenantId)
        {
            return TypedResults.NotFound();
        }

        Page<DirectoryUser> page;
        try
        {
            page = group is null
                ? await directory.ListUsersAsync(UserPool.Tenant, take!.Value, nextToken, cancellationToken)
                : await directory.ListUsersInGroupAsync(UserPool.Tenant, group, take!.Value, nextToken, cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.GroupNotFound)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new ListResponse<UserResponse>([.. page.Items.Select(user => user.ToResponse())], page.NextToken));
    }

    /// <summary>Reads a user; its <c>ETag</c> is what <c>If-Match</c> on PUT and DELETE compares.</summary>
    public static async Task<Results<Ok<UserResponse>, NotFound>> GetUser(
        string userName, TenantContext caller, IUserDirectory directory, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(userName, caller, directory, allowSelf: true, cancellationToken) is not { } user)
        {
            return TypedResults.NotFound();
        }

        Preconditions.SetETag(http.Response, ETagOf(user));
        return TypedResults.Ok(user.ToResponse());
    }

    /// <summary>
    /// Changes a user's email or role. Refused with 409 when it would demote the tenant's last enabled TenantAdmin,
    /// and with 412 when <c>If-Match</c> names another state of the user.
    /// </summary>
    public static async Task<Results<Ok<UserResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateUser(
        string userName,
        UpdateUserRequest request,
        TenantContext caller,
        IUserDirectory directory,
        TenantAccess access,
        TenantUserLocks locks,
        TenantLifecycle lifecycle,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(userName, caller, directory, allowSelf: false, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors();
        var email = errors.Email("userEmail", request.UserEmail, required: false);
        var role = UserFields.Role(errors, request.UserRole, required: false);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        using (await locks.EnterAsync(found.TenantId ?? string.Empty, cancellationToken))
        {
            // Read again under the tenant's lock: the checks below and the write see the same state of the user.
            if (await FindAsync(userName, caller, directory, allowSelf: false, cancellationToken) is not { } user)
            {
                return TypedResults.NotFound();
            }

            if (Refusal(http.Request, user) is { } precondition)
            {
                return precondition;
            }

            if (LastAdminRule.Refuses(Member(user), role, user.Enabled, await MembersAsync(lifecycle, user, cancellationToken)))
            {
                return LastAdmin("demoted");
            }

            await directory.UpdateUserAsync(UserPool.Tenant, userName, email, role, cancellationToken);
            access.ForgetUser(userName);
        }

        if (await directory.GetUserAsync(UserPool.Tenant, userName, cancellationToken) is not { } updated)
        {
            return TypedResults.NotFound();
        }

        Preconditions.SetETag(http.Response, ETagOf(updated));
        return TypedResults.Ok(updated.ToResponse());
    }

    /// <summary>
    /// Disables a user. Refused with 409 for the tenant's last enabled TenantAdmin (the provider deactivates a
    /// tenant with DELETE /tenant instead), and with 412 when <c>If-Match</c> names another state of the user.
    /// </summary>
    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> DisableUser(
        string userName,
        TenantContext caller,
        IUserDirectory directory,
        ITenantCatalog catalog,
        TenantAccess access,
        TenantUserLocks locks,
        TenantLifecycle lifecycle,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(userName, caller, directory, allowSelf: false, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound();
        }

        DirectoryUser user;
        using (await locks.EnterAsync(found.TenantId ?? string.Empty, cancellationToken))
        {
            if (await FindAsync(userName, caller, directory, allowSelf: false, cancellationToken) is not { } current)
            {
                return TypedResults.NotFound();
            }

            user = current;
            if (Refusal(http.Request, user) is { } precondition)
            {
                return precondition;
            }

            if (LastAdminRule.Refuses(Member(user), null, enabled: false, await MembersAsync(lifecycle, user, cancellationToken)))
            {
                return LastAdmin("disabled");
            }

            // The mapping first: from here on the user's live tokens are refused.
            await catalog.UpsertTenantUserAsync(new TenantUserMapping(user.TenantId!, userName, Enabled: false), cancellationToken);
            access.ForgetUser(userName);
            await directory.SetUserEnabledAsync(UserPool.Tenant, userName, false, cancellationToken);
        }

        var disabled = user with { Enabled = false };
        Preconditions.SetETag(http.Response, ETagOf(disabled));
        return TypedResults.Ok(disabled.ToResponse());
    }

    public static Task<Results<Ok<TenantUsersResponse>, NotFound>> DisableTenantUsers(
        string tenantId, ITenantCatalog catalog, IUserDirectory directory, TenantLifecycle lifecycle, TenantAccess access, CancellationToken cancellationToken) =>
        SetTenantUsersEnabledAsync(tenantId, enabled: false, catalog, directory, lifecycle, access, cancellationToken);

    public static Task<Results<Ok<TenantUsersResponse>, NotFound>> EnableTenantUsers(
        string tenantId, ITenantCatalog catalog, IUserDirectory directory, TenantLifecycle lifecycle, TenantAccess access, CancellationToken cancellationToken) =>
        SetTenantUsersEnabledAsync(tenantId, enabled: true, catalog, directory, lifecycle, access, cancellationToken);

    private static async Task<Results<Ok<TenantUsersResponse>, NotFound>> SetTenantUsersEnabledAsync(
        string tenantId, bool enabled, ITenantCatalog catalog, IUserDirectory directory, TenantLifecycle lifecycle, TenantAccess access, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId) || await catalog.GetTenantAsync(tenantId, cancellationToken) is not { } tenant || !TenantStates.IsManaged(tenant.Status))
        {
            return TypedResults.NotFound();
        }

        // The tenant's users in the catalog (their mappings), then in the directory (the tenant group's members).
        foreach (var userName in await catalog.SetTenantUsersEnabledAsync(tenantId, enabled, cancellationToken))
        {
            access.ForgetUser(userName);
        }

        var userNames = new List<string>();
        await foreach (var user in lifecycle.UsersOfAsync(tenantId, cancellationToken))
        {
            await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, enabled, cancellationToken);
            userNames.Add(user.UserName);
        }

        return TypedResults.Ok(new TenantUsersResponse(tenantId, enabled, userNames));
    }

    /// <summary>
    /// The tenant-pool user if the caller may see it: provider staff any, a tenant admin its tenant's, a tenant
    /// user (with <paramref name="allowSelf"/>) itself. Otherwise null, so that the answer is 404 either way.
    /// </summary>
    private static async Task<DirectoryUser?> FindAsync(
        string userName, TenantContext caller, IUserDirectory directory, bool allowSelf, CancellationToken cancellationToken)
    {
        if (userName.Length is 0 or > 128)
        {
            return null;
        }

        if (!caller.IsSystemAdmin && !caller.IsTenantAdmin && !(allowSelf && caller.Pool == UserPool.Tenant && caller.UserName == userName))
        {
            return null;
        }

        var user = await directory.GetUserAsync(UserPool.Tenant, userName, cancellationToken);
        return user is not null && (caller.IsSystemAdmin || user.TenantId == caller.TenantId) ? user : null;
    }

    /// <summary>
    /// A user's entity tag. The directory has no conditional write, so the tag is derived from the state a client
    /// can change (email, role, enabled) and compared right before the write, under the tenant's
    /// <see cref="TenantUserLocks"/> lock that every PUT and DELETE of a user of this instance takes.
    /// </summary>
    public static string ETagOf(DirectoryUser user) =>
        Preconditions.ETagOf(string.Join('\n', user.Email, user.UserRole ?? string.Empty, user.Enabled ? "enabled" : "disabled"));

    /// <summary>412 when <c>If-Match</c> names another state of the user; null when the request may go on.</summary>
    private static ProblemHttpResult? Refusal(HttpRequest request, DirectoryUser user) =>
        Preconditions.IfMatchAllows(request, ETagOf(user)) ? null : Preconditions.PreconditionFailed();

    private static TenantMember Member(DirectoryUser user) => new(user.UserName, user.UserRole, user.Enabled);

    /// <summary>
    /// The users of <paramref name="user"/>'s tenant, for <see cref="LastAdminRule"/>; none are read when the user
    /// is not an enabled TenantAdmin, whom no change can make the last one lost.
    /// </summary>
    private static async Task<List<TenantMember>> MembersAsync(TenantLifecycle lifecycle, DirectoryUser user, CancellationToken cancellationToken)
    {
        var members = new List<TenantMember>();
        if (Member(user).IsEnabledAdmin)
        {
            await foreach (var other in lifecycle.UsersOfAsync(user.TenantId!, cancellationToken))
            {
                members.Add(Member(other));
            }
        }

        return members;
    }

    private static ProblemHttpResult LastAdmin(string change) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Last tenant admin",
        detail: $"This user is the tenant's last enabled TenantAdmin and cannot be {change}: a tenant always keeps one. " +
            "Make another user TenantAdmin first.");
}

public static class UserFields
{
    public static string? UserName(FieldErrors errors, string? value) =>
        errors.Text("userName", value, required: true, 128, name => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or '+'), "Use letters, digits and . _ - @ + only.");

    /// <summary>Tenant users are TenantAdmin or TenantUser; SystemAdmin lives only in the operations pool.</summary>
    public static string? Role(FieldErrors errors, string? value, bool required)
    {
        var role = errors.Text("userRole", value, required, 32);
        if (role is null)
        {
            return null;
        }

        if (Roles.TenantRole(role) is { } tenantRole)
        {
            return tenantRole;
        }

        errors.Add("userRole", "Must be TenantAdmin or TenantUser.");
        return null;
    }
}

/// <summary>A new tenant user; its temporary password is emailed to it.</summary>
/// <param name="UserName">Letters, digits and . _ - @ +; unique in the tenant pool.</param>
/// <param name="UserEmail">Where the temporary password is sent.</param>
/// <param name="UserRole">TenantAdmin or TenantUser.</param>
/// <param name="TenantId">Honoured for provider staff only; a tenant admin always creates users of its own tenant.</param>
public sealed record CreateUserRequest(string? UserName, string? UserEmail, string? UserRole, string? TenantId);

public sealed record UpdateUserRequest(string? UserEmail, string? UserRole);

public sealed record UserResponse(string UserName, string Email, string? UserRole, string? TenantId, bool Enabled, string Status, DateTimeOffset CreatedAt);

public sealed record TenantUsersResponse(string TenantId, bool Enabled, IReadOnlyList<string> UserNames);

public static class UserMapping
{
    public static UserResponse ToResponse(this DirectoryUser user) =>
        new(user.UserName, user.Email, user.UserRole, user.TenantId, user.Enabled, StatusName(user.Status), user.CreatedAt);

    /// <summary>The workshop's <c>status</c> words, which are Cognito's user statuses.</summary>
    public static string StatusName(UserStatus status) => status switch
    {
        UserStatus.Confirmed => "CONFIRMED",
        UserStatus.PasswordChangeRequired => "FORCE_CHANGE_PASSWORD",
        UserStatus.Unconfirmed => "UNCONFIRMED",
        UserStatus.PasswordResetRequired => "RESET_REQUIRED",
        _ => "UNKNOWN",
    };
}
