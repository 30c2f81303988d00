namespace SaasOnboarding.Api.Auth;

/// <summary>Answers a sign-in's SOFTWARE_TOKEN_MFA challenge.</summary>
/// <param name="UserName">The user name the sign-in named (an email address signs in as its user's name).</param>
/// <param name="Session">The challenge's session.</param>
/// <param name="Code">The six-digit code the user's authenticator app shows now.</param>
/// <param name="Pool"><c>tenant</c> (default) or <c>operations</c>.</param>
public sealed record MfaCodeRequest(string? UserName, string? Session, string? Code, string? Pool);

/// <summary>Starts setting up TOTP MFA: with the user's password, or with the session of a sign-in's MFA_SETUP challenge.</summary>
/// <param name="UserName">The user name.</param>
/// <param name="Password">The user's password (one of password and session).</param>
/// <param name="Session">The MFA_SETUP challenge's session (one of password and session).</param>
/// <param name="Pool"><c>tenant</c> (default) or <c>operations</c>.</param>
public sealed record MfaSetupRequest(string? UserName, string? Password, string? Session, string? Pool);

/// <summary>A new TOTP secret to add to an authenticator app, by QR code or by hand.</summary>
/// <param name="SecretCode">The secret in Base32, to type into the app by hand.</param>
/// <param name="OtpauthUri">The <c>otpauth://totp/…</c> URI the QR code holds.</param>
/// <param name="QrCode">The QR code, as a <c>data:image/png;base64,…</c> URI to show as an image.</param>
/// <param name="Session">Send it with the app's first code to /auth/mfa/setup/verify.</param>
public sealed record MfaSetupResponse(string SecretCode, string OtpauthUri, string QrCode, string Session);

/// <summary>Turns TOTP MFA on with the first code of the new secret.</summary>
/// <param name="UserName">The user name.</param>
/// <param name="Session">The set-up's session.</param>
/// <param name="Code">The six-digit code the authenticator app shows now.</param>
/// <param name="Pool"><c>tenant</c> (default) or <c>operations</c>.</param>
public sealed record MfaVerifyRequest(string? UserName, string? Session, string? Code, string? Pool);

/// <summary>Turns the signed-in user's TOTP MFA off: with its password or a current code.</summary>
/// <param name="Password">The user's password (one of password and code; Cognito needs the password).</param>
/// <param name="Code">A current code of the user's authenticator app (one of password and code).</param>
public sealed record MfaDisableRequest(string? Password, string? Code);

/// <summary>Whether the signed-in user signs in with TOTP MFA.</summary>
public sealed record MfaStatusResponse(bool Enabled);
