namespace SaasOnboarding.Api.Users;

/// <summary>A user as <c>GET /users?status=</c> filters it: invited (has not signed in yet), active, or disabled.</summary>
public enum UserListStatus
{
    Invited,
    Active,
    Disabled,
}
