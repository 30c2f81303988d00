using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>Creates the local provider's tables and, at first start, the system admin <c>admin</c>.</summary>
internal sealed class LocalIdentitySeeder(LocalUserDirectory directory, IOptions<LocalIdentityOptions> options, ILogger<LocalIdentitySeeder> logger)
    : IHostedService
{
    public const string AdminUserName = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.InitializeAsync(cancellationToken);
        var configured = options.Value.AdminPassword;
        if (!string.IsNullOrEmpty(configured) && PasswordPolicy.Violation(configured) is { } violation)
        {
            throw new OptionsValidationException(LocalIdentityOptions.Section + ":AdminPassword", typeof(string), [violation]);
        }

        var password = string.IsNullOrEmpty(configured) ? PasswordPolicy.Generate() : configured;
        var admin = new NewDirectoryUser(AdminUserName, options.Value.AdminEmail, Roles.SystemAdminsTenantId, Roles.SystemAdmin);
        if (!await directory.TryCreateConfirmedUserAsync(UserPool.Operations, admin, password, cancellationToken))
        {
            return;
        }

        try
        {
            await directory.CreateGroupAsync(UserPool.Operations, "SystemAdmins", cancellationToken);
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.GroupExists)
        {
            // A group left by an earlier admin: reuse it.
        }

        await directory.AddUserToGroupAsync(UserPool.Operations, AdminUserName, "SystemAdmins", cancellationToken);
        logger.LogInformation("Seeded the system admin {UserName} in the operations pool", AdminUserName);
        if (string.IsNullOrEmpty(configured))
        {
            // Printed once to the console, never logged: this is the only time the password exists in the clear.
            await Console.Out.WriteLineAsync(
                $"""

                  System admin created. Sign in with pool "operations":
                    userName: {AdminUserName}
                    password: {password}
                  (set Identity:Local:AdminPassword to choose it; this is shown only once)

                """);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
