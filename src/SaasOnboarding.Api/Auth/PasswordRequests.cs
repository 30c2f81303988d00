namespace SaasOnboarding.Api.Auth;

/// <summary>A signed-in user changes its password.</summary>
/// <param name="PreviousPassword">The password the user signs in with now.</param>
/// <param name="NewPassword">The new password (8 or more characters with upper and lower case, a digit and a symbol).</param>
public sealed record ChangePasswordRequest(string? PreviousPassword, string? NewPassword);

/// <summary>Asks for a code to reset a forgotten password, emailed to the user's address.</summary>
/// <param name="UserName">The user name.</param>
/// <param name="Pool"><c>tenant</c> (default) or <c>operations</c>.</param>
public sealed record ForgotPasswordRequest(string? UserName, string? Pool);

/// <summary>Sets a new password with the emailed code.</summary>
/// <param name="UserName">The user name the code was asked for.</param>
/// <param name="Code">The code from the email.</param>
/// <param name="NewPassword">The new password.</param>
/// <param name="Pool"><c>tenant</c> (default) or <c>operations</c>.</param>
public sealed record ConfirmForgotPasswordRequest(string? UserName, string? Code, string? NewPassword, string? Pool);
