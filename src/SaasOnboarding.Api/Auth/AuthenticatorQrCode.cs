using QRCoder;

namespace SaasOnboarding.Api.Auth;

/// <summary>The <c>otpauth://</c> URI of a TOTP secret (Google Authenticator's key URI format) and its QR code.</summary>
public static class AuthenticatorQrCode
{
    /// <summary>The name authenticator apps show above the user name.</summary>
    public const string Issuer = "SaasOnboarding";

    public static string OtpauthUri(string userName, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(userName)}"
        + $"?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>A PNG of the QR code of <paramref name="text"/>, as a data URI.</summary>
    public static string PngDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }
}
