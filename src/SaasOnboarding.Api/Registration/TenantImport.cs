using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Registration;

/// <summary>
/// What an import adds to a registration: the admin's email, the writing of the bundle's products and orders into
/// the new child database, and the bundle's other users.
/// </summary>
public sealed record TenantImport(string AdminEmail, Func<ITenantDatabase, CancellationToken, Task> WriteDataAsync, IReadOnlyList<ImportedUser> Users);

/// <summary>A user of an import, made with a new temporary password.</summary>
public sealed record ImportedUser(string UserName, string Email, string UserRole, bool Enabled);
