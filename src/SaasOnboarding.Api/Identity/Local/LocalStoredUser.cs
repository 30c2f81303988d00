namespace SaasOnboarding.Api.Identity.Local;

/// <summary>A user as local-idp.db holds it: what the directory answers, plus what sign-in and its tokens need.</summary>
/// <param name="User">What the directory answers about the user.</param>
/// <param name="PasswordHash">The user's password, hashed by the app's <c>IPasswordHasher</c>.</param>
/// <param name="Sub">The user's subject in its tokens.</param>
/// <param name="Groups">The groups the user is in.</param>
internal sealed record LocalStoredUser(DirectoryUser User, string PasswordHash, string Sub, string[] Groups);
