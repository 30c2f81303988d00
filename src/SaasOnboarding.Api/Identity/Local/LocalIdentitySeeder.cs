using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>Creates the local provider's tables and, at first start, the system admin <c>admin</c>.</summary>
internal sealed class LocalIdentitySeeder(
    LocalIdentityDatabase database, LocalUserDirectory directory, IOptions<LocalIdentityOptions> options, IHostEnvironment environment, ILogger<LocalIdentitySeeder> logger)
    : IHostedService
{
    public const string AdminUserName = "admin";

    /// <summary>Where a generated admin password goes outside Development, in the identity data directory.</summary>
    public const string AdminPasswordFile = "admin-password.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
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
        if (string.IsNullOrEmpty(configured) && !environment.IsDevelopment())
        {
            // Outside Development the console is a log (a service's journal, CloudWatch): the password goes to a file
            // only its owner can read, and the log names the file.
            var file = Path.Combine(database.DataDirectory, AdminPasswordFile);
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var writer = new StreamWriter(file, create))
            {
                await writer.WriteLineAsync(password.AsMemory(), cancellationToken);
            }

            logger.LogWarning(
                "The system admin's generated password is in {File} (readable by this user only); sign in, then delete the file",
                file);
        }
        else if (string.IsNullOrEmpty(configured))
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
