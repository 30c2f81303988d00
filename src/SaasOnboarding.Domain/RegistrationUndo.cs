namespace SaasOnboarding.Domain;

/// <summary>One action that undoes a registration step. Each is idempotent, so a compensation may run again.</summary>
public enum RegistrationUndo
{
    /// <summary>Remove the admin's tenant-user mapping.</summary>
    RemoveMapping,

    /// <summary>
    /// Delete every user of the tenant pool that names the tenant (an import's users, their group memberships with
    /// them); their mappings go with the tenant record.
    /// </summary>
    DeleteTenantUsers,

    /// <summary>Delete the admin user from the tenant pool (its group membership goes with it).</summary>
    DeleteUser,

    /// <summary>Delete the tenant's group.</summary>
    DeleteGroup,

    /// <summary>Delete the tenant's child database.</summary>
    DeleteDatabase,

    /// <summary>Delete the tenant record (its activation goes with it).</summary>
    DeleteTenant,
}
