using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Api.Users;

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
