using System.Security.Cryptography;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>Cognito's default password policy: 8 or more characters with upper, lower, digit and symbol.</summary>
public static class PasswordPolicy
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

    public static string? Violation(string password)
    {
        if (password.Length < 8)
        {
            return "Password must have at least 8 characters.";
        }

        if (password.Length > 256)
        {
            return "Password must have at most 256 characters.";
        }

        if (!password.Any(char.IsAsciiLetterUpper))
        {
            return "Password must have an upper-case letter.";
        }

        if (!password.Any(char.IsAsciiLetterLower))
        {
            return "Password must have a lower-case letter.";
        }

        if (!password.Any(char.IsAsciiDigit))
        {
            return "Password must have a number.";
        }

        return password.Any(Symbols.Contains) ? null : "Password must have a symbol.";
    }

    /// <summary>A random 14-character password that meets the policy.</summary>
    public static string Generate()
    {
        var all = Upper + Lower + Digits + "!#%&*+-=?@";
        var characters = new List<char>
        {
            Pick(Upper),
            Pick(Lower),
            Pick(Digits),
            Pick("!#%&*+-=?@"),
        };
        while (characters.Count < 14)
        {
            characters.Add(Pick(all));
        }

        var shuffled = characters.ToArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return new string(shuffled);
    }

    private static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
}
