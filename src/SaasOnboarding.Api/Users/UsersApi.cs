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
            .WithSummary("List users: a tenant admin's own tenant; provider staff all users or those of `tenantId`")
            .WithDescription("`role` (TenantAdmin, TenantUser) and `status` (Invited: has not signed in yet; Active; Disabled) filter each page: " +
                "a filtered page may hold fewer than `limit` users, even none, and still have a `nextToken`.");
        group.MapGet("/user/{userName}", GetUser).WithName(nameof(GetUser))
            .WithSummary("Read a user (a tenant user may read only itself)");
        group.MapPut("/user/{userName}", UpdateUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Change a user's email or role");
        group.MapDelete("/user/{userName}", DisableUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Disable a user: it can no longer sign in and its live tokens are refused");
        group.MapPost("/user/{userName}/enable", EnableUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Enable a disabled user again; refused while its tenant is not active");
        group.MapPost("/user/{userName}/remove", RemoveUser)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Remove a disabled user for good: from the identity provider and its tenant; refused while it is enabled");
        group.MapPost("/user/{userName}/invitation", ResendInvitation)
            .RequireAuthorization(Policies.SystemOrTenantAdmin)
            .WithSummary("Email a user that has not signed in yet a new temporary password; the previous one stops working");
        group.MapPut("/users/disable/{tenantId}", DisableTenantUsers)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Disable every user of a tenant");
        group.MapPut("/users/enable/{tenantId}", EnableTenantUsers)
            .RequireAuthorization(Policies.SystemAdmin)
            .WithSummary("Enable every user of a tenant; refused while the tenant is not active");
        return group;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, NotFound, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, TenantContext caller, TenantUsers users, HttpContext http, CancellationToken cancellationToken)
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

        var created = await users.CreateAsync(new NewDirectoryUser(userName!, email!, tenantId!, role!), cancellationToken);
        return created switch
        {
            { Outcome: UserChangeOutcome.Done, User: { } user } =>
                TypedResults.Created(ResourceLinks.PathTo(http, nameof(GetUser), new() { ["userName"] = user.UserName }), user.ToResponse()),
            { Outcome: UserChangeOutcome.TenantInactive } =>
                TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant is not active", detail: "Reactivate the tenant before adding users."),
            _ => TypedResults.NotFound(),
        };
    }

    public static async Task<Results<Ok<ListResponse<UserResponse>>, ValidationProblem, NotFound>> ListUsers(
        TenantContext caller, IUserDirectory directory, TenantMembers members, CancellationToken cancellationToken, int? limit = null, string? nextToken = null, string? tenantId = null,
        string? role = null, string? status = null)
    {
        var errors = new FieldErrors();
        var take = Paging.Limit(limit, errors);
        if (tenantId is not null && !TenantIds.IsValid(tenantId))
        {
            errors.Add("tenantId", "Must be a tenant id.");
        }

        var wantedRole = role is null ? null : UserFields.Role(errors, role, required: true, "role");
        UserListStatus? wantedStatus = null;
        if (status is not null)
        {
            // By name only (Enum.TryParse would take "1" too).
            var names = Enum.GetValues<UserListStatus>();
            var match = Array.FindIndex(names, value => value.ToString().Equals(status, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                errors.Add("status", "Must be one of " + string.Join(", ", names) + ".");
            }
            else
            {
                wantedStatus = names[match];
            }
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

        var page = group is null
            ? await directory.ListUsersAsync(UserPool.Tenant, take!.Value, nextToken, cancellationToken)
            : await members.ListAsync(group, take!.Value, nextToken, cancellationToken);
        if (page is null)
        {
            return TypedResults.NotFound();
        }

        var users = page.Items
            .Where(user => (wantedRole is null || user.UserRole == wantedRole) && (wantedStatus is null || ListStatusOf(user) == wantedStatus))
            .Select(user => user.ToResponse());
        return TypedResults.Ok(new ListResponse<UserResponse>([.. users], page.NextToken));
    }

    /// <summary>What the <c>status</c> filter of the list names: disabled, or enabled and signed in or not yet.</summary>
    public static UserListStatus ListStatusOf(DirectoryUser user) =>
        !user.Enabled ? UserListStatus.Disabled
        : user.Status == UserStatus.PasswordChangeRequired ? UserListStatus.Invited
        : UserListStatus.Active;

    /// <summary>Reads a user; its <c>ETag</c> is what <c>If-Match</c> on PUT and DELETE compares.</summary>
    public static async Task<Results<Ok<UserResponse>, NotFound>> GetUser(
        string userName, TenantContext caller, TenantUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(caller, userName, allowSelf: true, cancellationToken) is not { } user)
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
        string userName, UpdateUserRequest request, TenantContext caller, TenantUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(caller, userName, allowSelf: false, cancellationToken) is not { } found)
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

        var change = await users.UpdateAsync(caller, found, email, role, IfMatches(http.Request), cancellationToken);
        if (change is { Outcome: UserChangeOutcome.Done, User: { } updated })
        {
            return Answer(http.Response, updated);
        }

        return Refusal(change, "demoted") is { } problem ? problem : TypedResults.NotFound();
    }

    /// <summary>
    /// Disables a user. Refused with 409 for the tenant's last enabled TenantAdmin (the provider deactivates a
    /// tenant with DELETE /tenant instead), and with 412 when <c>If-Match</c> names another state of the user.
    /// </summary>
    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> DisableUser(
        string userName, TenantContext caller, TenantUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(caller, userName, allowSelf: false, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound();
        }

        var change = await users.DisableAsync(caller, found, IfMatches(http.Request), cancellationToken);
        if (change is { Outcome: UserChangeOutcome.Done, User: { } disabled })
        {
            return Answer(http.Response, disabled);
        }

        return Refusal(change, "disabled") is { } problem ? problem : TypedResults.NotFound();
    }

    /// <summary>
    /// Enables a disabled user again (enabling an enabled one changes nothing). Refused with 409 while its tenant is
    /// not active, and with 412 when <c>If-Match</c> names another state of the user.
    /// </summary>
    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> EnableUser(
        string userName, TenantContext caller, TenantUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(caller, userName, allowSelf: false, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound();
        }

        var change = await users.EnableAsync(caller, found, IfMatches(http.Request), cancellationToken);
        if (change is { Outcome: UserChangeOutcome.Done, User: { } enabled })
        {
            return Answer(http.Response, enabled);
        }

        return Refusal(change, "enabled") is { } problem ? problem : TypedResults.NotFound();
    }

    /// <summary>
    /// Removes a disabled user for good (disable it first with DELETE /user/{userName}). Refused with 409 while it is
    /// enabled, and with 412 when <c>If-Match</c> names another state of the user; answers 204.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveUser(
        string userName, TenantContext caller, TenantUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(caller, userName, allowSelf: false, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound();
        }

        var change = await users.RemoveAsync(caller, found, IfMatches(http.Request), cancellationToken);
        if (change.Outcome == UserChangeOutcome.Done)
        {
            return TypedResults.NoContent();
        }

        return Refusal(change, "removed") is { } problem ? problem : TypedResults.NotFound();
    }

    /// <summary>
    /// Sends a user that has not signed in yet a new temporary password, as at its creation. Refused with 409 once
    /// it has chosen its own password, while it is disabled, and while its tenant is not active.
    /// </summary>
    public static async Task<Results<Ok<UserResponse>, NotFound, ProblemHttpResult>> ResendInvitation(
        string userName, TenantContext caller, TenantUsers users, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(caller, userName, allowSelf: false, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound();
        }

        var change = await users.ResendInvitationAsync(found, cancellationToken);
        if (change is { Outcome: UserChangeOutcome.Done, User: { } invited })
        {
            return TypedResults.Ok(invited.ToResponse());
        }

        return Refusal(change, "changed") is { } problem ? problem : TypedResults.NotFound();
    }

    public static async Task<Results<Ok<TenantUsersResponse>, NotFound>> DisableTenantUsers(
        string tenantId, TenantUsers users, CancellationToken cancellationToken) =>
        Answer(tenantId, enabled: false, await users.SetAllEnabledAsync(tenantId, enabled: false, cancellationToken));

    public static async Task<Results<Ok<TenantUsersResponse>, NotFound, ProblemHttpResult>> EnableTenantUsers(
        string tenantId, TenantUsers users, CancellationToken cancellationToken)
    {
        var change = await users.SetAllEnabledAsync(tenantId, enabled: true, cancellationToken);
        if (Refusal(new UserChange(change.Outcome), "enabled") is { } problem)
        {
            return problem;
        }

        return change.Outcome == UserChangeOutcome.Done ? TypedResults.Ok(new TenantUsersResponse(tenantId, true, change.UserNames)) : TypedResults.NotFound();
    }

    /// <summary>
    /// A user's entity tag. The directory has no conditional write, so the tag is derived from the state a client
    /// can change (email, role, enabled) and compared right before the write, under the tenant's
    /// <see cref="TenantUserLocks"/> lock that every PUT and DELETE of a user of this instance takes.
    /// </summary>
    public static string ETagOf(DirectoryUser user) =>
        Preconditions.ETagOf(string.Join('\n', user.Email, user.UserRole ?? string.Empty, user.Enabled ? "enabled" : "disabled"));

    /// <summary>Whether the request's <c>If-Match</c> (if any) names the user's current state.</summary>
    private static Func<DirectoryUser, bool> IfMatches(HttpRequest request) => user => Preconditions.IfMatchAllows(request, ETagOf(user));

    /// <summary>The user with its <c>ETag</c>.</summary>
    private static Ok<UserResponse> Answer(HttpResponse response, DirectoryUser user)
    {
        Preconditions.SetETag(response, ETagOf(user));
        return TypedResults.Ok(user.ToResponse());
    }

    /// <summary>412 for a stale <c>If-Match</c>, 409 for a state that refuses the change; null when the answer is the user or 404.</summary>
    private static ProblemHttpResult? Refusal(UserChange change, string lastAdminChange) => change.Outcome switch
    {
        UserChangeOutcome.PreconditionFailed => Preconditions.PreconditionFailed(),
        UserChangeOutcome.TenantInactive => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Tenant is not active",
            detail: "The user's tenant is not active: its users are disabled until the provider reactivates it."),
        UserChangeOutcome.UserDisabled => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "User is disabled",
            detail: "Enable the user (POST /user/{userName}/enable) before sending its invitation again."),
        UserChangeOutcome.UserEnabled => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "User is enabled",
            detail: "Disable the user (DELETE /user/{userName}) before removing it."),
        UserChangeOutcome.AlreadySignedIn => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "User has signed in",
            detail: "The user has already signed in and chosen a password; it can reset a forgotten one with POST /auth/forgot-password."),
        UserChangeOutcome.LastAdmin => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Last tenant admin",
            detail: $"This user is the tenant's last enabled TenantAdmin and cannot be {lastAdminChange}: a tenant always keeps one. " +
                "Make another user TenantAdmin first."),
        _ => null,
    };

    private static Results<Ok<TenantUsersResponse>, NotFound> Answer(string tenantId, bool enabled, TenantUsersChange change) =>
        change.Outcome == UserChangeOutcome.Done
            ? TypedResults.Ok(new TenantUsersResponse(tenantId, enabled, change.UserNames))
            : TypedResults.NotFound();
}

