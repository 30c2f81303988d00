using SaasOnboarding.Api.Audit;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenancy;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Api.Users;

/// <summary>
/// The user workflows, run through the ports with the domain's rules (<see cref="TenantUserRules"/>): creating a
/// user with its compensation, changing and disabling one, enabling or disabling every user of a tenant. Each
/// change evicts the cached caller state it affects (<see cref="TenantAccess"/>) where it is made, so a revocation
/// holds at the next request. The mapping write carries the change's audit entry and lifecycle event; a role change,
/// which the identity provider alone keeps, records them right after it.
/// </summary>
public sealed class TenantUsers(
    ITenantCatalog catalog,
    IUserDirectory directory,
    TenantAccess access,
    TenantUserLocks locks,
    TenantMembers members,
    ChangeRecords records,
    TimeProvider time,
    ILogger<TenantUsers> logger)
{
    /// <summary>
    /// Creates the user in the directory, adds it to its tenant's group (with groups, <see cref="TenantMembers"/>) and
    /// writes its mapping: all or nothing, as a user without its mapping could sign in but never act. Throws <see cref="DirectoryError.UserExists"/>.
    /// </summary>
    public async Task<UserChange> CreateAsync(NewDirectoryUser user, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(user.TenantId, cancellationToken);
        if (TenantUserRules.CanAdd(tenant?.Status) is not UserChangeOutcome.Done and var refused)
        {
            return new UserChange(refused);
        }

        var created = await directory.CreateUserAsync(UserPool.Tenant, user, cancellationToken);
        try
        {
            await members.JoinAsync(user.UserName, user.TenantId, cancellationToken);
            var record = records.Of(
                user.TenantId,
                user.UserName,
                "user create",
                LifecycleEvents.User(LifecycleEvents.UserCreated, created.CreatedAt, new UserEventData(user.TenantId, user.UserName, user.UserRole)));
            await catalog.UpsertTenantUserAsync(new TenantUserMapping(user.TenantId, user.UserName, Enabled: true), record, cancellationToken);
        }
        catch (Exception failure)
        {
            logger.LogWarning(failure, "Creating user {UserName} in tenant {TenantId} failed; removing it", user.UserName, user.TenantId);
            await directory.DeleteUserAsync(UserPool.Tenant, user.UserName, CancellationToken.None);
            await catalog.RemoveTenantUserAsync(user.UserName, CancellationToken.None);
            throw;
        }

        return new UserChange(UserChangeOutcome.Done, created);
    }

    /// <summary>
    /// The tenant-pool user if <paramref name="caller"/> may see it: provider staff any, a tenant admin its tenant's,
    /// a tenant user (with <paramref name="allowSelf"/>) itself. Otherwise null, so that the answer is 404 either way.
    /// </summary>
    public async Task<DirectoryUser?> FindAsync(TenantContext caller, string userName, bool allowSelf, CancellationToken cancellationToken)
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
    /// Changes <paramref name="found"/>'s email and/or role (null: unchanged). Under its tenant's lock the user is
    /// read again, and the change is refused while <paramref name="isExpectedVersion"/> says no or it would demote
    /// the tenant's last enabled TenantAdmin.
    /// </summary>
    public async Task<UserChange> UpdateAsync(
        TenantContext caller, DirectoryUser found, string? email, string? role, Func<DirectoryUser, bool> isExpectedVersion, CancellationToken cancellationToken)
    {
        using (await locks.EnterAsync(found.TenantId ?? string.Empty, cancellationToken))
        {
            if (await FindAsync(caller, found.UserName, allowSelf: false, cancellationToken) is not { } user)
            {
                return new UserChange(UserChangeOutcome.NotFound);
            }

            var decision = TenantUserRules.CanChange(Member(user), role, user.Enabled, isExpectedVersion(user), await MembersAsync(user, cancellationToken));
            if (decision != UserChangeOutcome.Done)
            {
                return new UserChange(decision);
            }

            await directory.UpdateUserAsync(UserPool.Tenant, user.UserName, email, role, cancellationToken);
            await access.ForgetUserAsync(user.TenantId!, user.UserName, cancellationToken);
            LifecycleEvent[] events = role is not null && role != user.UserRole
                ? [LifecycleEvents.User(LifecycleEvents.UserRoleChanged, time.GetUtcNow(), new UserEventData(user.TenantId!, user.UserName, role))]
                : [];
            await catalog.RecordAsync(records.Of(user.TenantId, user.UserName, "user update", events), cancellationToken);
        }

        return await directory.GetUserAsync(UserPool.Tenant, found.UserName, cancellationToken) is { } updated
            ? new UserChange(UserChangeOutcome.Done, updated)
            : new UserChange(UserChangeOutcome.NotFound);
    }

    /// <summary>
    /// Disables <paramref name="found"/>, with the same checks as <see cref="UpdateAsync"/>. The mapping is written
    /// first: from then on the user's live tokens are refused; then the directory stops its sign-ins.
    /// </summary>
    public async Task<UserChange> DisableAsync(
        TenantContext caller, DirectoryUser found, Func<DirectoryUser, bool> isExpectedVersion, CancellationToken cancellationToken)
    {
        using (await locks.EnterAsync(found.TenantId ?? string.Empty, cancellationToken))
        {
            if (await FindAsync(caller, found.UserName, allowSelf: false, cancellationToken) is not { } user)
            {
                return new UserChange(UserChangeOutcome.NotFound);
            }

            var decision = TenantUserRules.CanChange(Member(user), null, enabled: false, isExpectedVersion(user), await MembersAsync(user, cancellationToken));
            if (decision != UserChangeOutcome.Done)
            {
                return new UserChange(decision);
            }

            var record = records.Of(
                user.TenantId,
                user.UserName,
                "user disable",
                LifecycleEvents.User(LifecycleEvents.UserDisabled, time.GetUtcNow(), new UserEventData(user.TenantId!, user.UserName, user.UserRole)));
            await catalog.UpsertTenantUserAsync(new TenantUserMapping(user.TenantId!, user.UserName, Enabled: false), record, cancellationToken);
            await access.ForgetUserAsync(user.TenantId!, user.UserName, cancellationToken);
            await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, false, cancellationToken);
            return new UserChange(UserChangeOutcome.Done, user with { Enabled = false });
        }
    }

    /// <summary>
    /// Enables <paramref name="found"/> again: refused while its tenant is not active (a deactivated tenant's users
    /// stay disabled until the tenant is reactivated) or while <paramref name="isExpectedVersion"/> says no. The
    /// directory lets it sign in first, then the mapping honours its tokens.
    /// </summary>
    public async Task<UserChange> EnableAsync(
        TenantContext caller, DirectoryUser found, Func<DirectoryUser, bool> isExpectedVersion, CancellationToken cancellationToken)
    {
        using (await locks.EnterAsync(found.TenantId ?? string.Empty, cancellationToken))
        {
            if (await FindAsync(caller, found.UserName, allowSelf: false, cancellationToken) is not { TenantId: { } tenantId } user)
            {
                return new UserChange(UserChangeOutcome.NotFound);
            }

            var tenant = await catalog.GetTenantAsync(tenantId, cancellationToken);
            if (TenantUserRules.CanEnable(tenant?.Status, isExpectedVersion(user)) is not UserChangeOutcome.Done and var refused)
            {
                return new UserChange(refused);
            }

            var record = records.Of(
                tenantId,
                user.UserName,
                "user enable",
                LifecycleEvents.User(LifecycleEvents.UserEnabled, time.GetUtcNow(), new UserEventData(tenantId, user.UserName, user.UserRole)));
            await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, true, cancellationToken);
            await catalog.UpsertTenantUserAsync(new TenantUserMapping(tenantId, user.UserName, Enabled: true), record, cancellationToken);
            await access.ForgetUserAsync(user.TenantId!, user.UserName, cancellationToken);
            return new UserChange(UserChangeOutcome.Done, user with { Enabled = true });
        }
    }

    /// <summary>
    /// Removes the disabled user <paramref name="found"/> for good (<see cref="TenantUserRules.CanRemove"/>). Its
    /// mapping goes first, in one catalog write with the audit entry and the <c>user.removed</c> event; then the
    /// directory deletes the user. A crash between the two leaves a disabled user without a mapping, which signs
    /// in nowhere and which the same request, sent again, finishes: with no mapping left it writes no second event,
    /// only the directory's delete (the purge of its tenant would delete it too).
    /// </summary>
    public async Task<UserChange> RemoveAsync(
        TenantContext caller, DirectoryUser found, Func<DirectoryUser, bool> isExpectedVersion, CancellationToken cancellationToken)
    {
        using (await locks.EnterAsync(found.TenantId ?? string.Empty, cancellationToken))
        {
            if (await FindAsync(caller, found.UserName, allowSelf: false, cancellationToken) is not { TenantId: { } tenantId } user)
            {
                return new UserChange(UserChangeOutcome.NotFound);
            }

            if (TenantUserRules.CanRemove(user.Enabled, isExpectedVersion(user)) is not UserChangeOutcome.Done and var refused)
            {
                return new UserChange(refused);
            }

            if (await catalog.GetTenantUserAsync(user.UserName, cancellationToken) is not null)
            {
                var record = records.Of(
                    tenantId,
                    user.UserName,
                    "user remove",
                    LifecycleEvents.User(LifecycleEvents.UserRemoved, time.GetUtcNow(), new UserEventData(tenantId, user.UserName)));
                await catalog.RemoveTenantUserAsync(user.UserName, record, cancellationToken);
            }

            await access.ForgetUserAsync(tenantId, user.UserName, cancellationToken);
            await directory.DeleteUserAsync(UserPool.Tenant, user.UserName, cancellationToken);
            return new UserChange(UserChangeOutcome.Done, user);
        }
    }

    /// <summary>
    /// Mails <paramref name="found"/> a new temporary password (the old one stops working): refused while its
    /// tenant is not active, while the user is disabled, and once it has signed in and chosen a password of its own.
    /// </summary>
    public async Task<UserChange> ResendInvitationAsync(DirectoryUser found, CancellationToken cancellationToken)
    {
        var tenant = await catalog.GetTenantAsync(found.TenantId ?? string.Empty, cancellationToken);
        var decision = TenantUserRules.CanResendInvitation(tenant?.Status, found.Enabled, found.Status == UserStatus.PasswordChangeRequired);
        if (decision != UserChangeOutcome.Done)
        {
            return new UserChange(decision);
        }

        await directory.ResendInvitationAsync(UserPool.Tenant, found.UserName, cancellationToken);
        return new UserChange(UserChangeOutcome.Done, found);
    }

    /// <summary>
    /// Enables or disables every user of a managed tenant: their mappings in the catalog, then the users in the
    /// directory. Enabling is refused while the tenant is not active, as for one user. The mappings' write carries the
    /// bulk's audit entry and a <c>user.enabled</c> or <c>user.disabled</c> event for each user whose mapping it
    /// changes; a user already in that state gets none.
    /// </summary>
    public async Task<TenantUsersChange> SetAllEnabledAsync(string tenantId, bool enabled, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId) || await catalog.GetTenantAsync(tenantId, cancellationToken) is not { } tenant || !TenantStates.IsManaged(tenant.Status))
        {
            return new TenantUsersChange(UserChangeOutcome.NotFound, []);
        }

        if (enabled && TenantUserRules.CanEnable(tenant.Status, isExpectedVersion: true) is not UserChangeOutcome.Done and var refused)
        {
            return new TenantUsersChange(refused, []);
        }

        var users = new List<DirectoryUser>();
        await foreach (var user in members.UsersOfAsync(tenantId, cancellationToken))
        {
            users.Add(user);
        }

        var now = time.GetUtcNow();
        var type = enabled ? LifecycleEvents.UserEnabled : LifecycleEvents.UserDisabled;
        var events = users
            .DistinctBy(user => user.UserName, StringComparer.Ordinal)
            .ToDictionary(user => user.UserName, user => LifecycleEvents.User(type, now, new UserEventData(tenantId, user.UserName, user.UserRole)), StringComparer.Ordinal);
        var record = records.Of(tenantId, tenantId, enabled ? "users enable" : "users disable");
        await access.ForgetUsersAsync(tenantId, await catalog.SetTenantUsersEnabledAsync(tenantId, enabled, record, events, cancellationToken), cancellationToken);

        foreach (var user in users)
        {
            await directory.SetUserEnabledAsync(UserPool.Tenant, user.UserName, enabled, cancellationToken);
        }

        return new TenantUsersChange(UserChangeOutcome.Done, users.ConvertAll(user => user.UserName));
    }

    private static TenantMember Member(DirectoryUser user) => new(user.UserName, user.UserRole, user.Enabled);

    /// <summary>
    /// The users of <paramref name="user"/>'s tenant, for <see cref="LastAdminRule"/>; none are read when the user
    /// is not an enabled TenantAdmin, whom no change can make the last one lost.
    /// </summary>
    private async Task<List<TenantMember>> MembersAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        var found = new List<TenantMember>();
        if (Member(user).IsEnabledAdmin)
        {
            await foreach (var other in members.UsersOfAsync(user.TenantId!, cancellationToken))
            {
                found.Add(Member(other));
            }
        }

        return found;
    }
}
