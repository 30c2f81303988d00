using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Api.Users;

public static class UserFields
{
    public static string? UserName(FieldErrors errors, string? value) =>
        errors.Text("userName", value, required: true, 128, name => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or '+'), "Use letters, digits and . _ - @ + only.");

    /// <summary>Tenant users are TenantAdmin or TenantUser; SystemAdmin lives only in the operations pool.</summary>
    public static string? Role(FieldErrors errors, string? value, bool required, string field = "userRole")
    {
        var role = errors.Text(field, value, required, 32);
        if (role is null)
        {
            return null;
        }

        if (Roles.TenantRole(role) is { } tenantRole)
        {
            return tenantRole;
        }

        errors.Add(field, "Must be TenantAdmin or TenantUser.");
        return null;
    }
}
