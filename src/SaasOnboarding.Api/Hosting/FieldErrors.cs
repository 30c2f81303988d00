using System.Net.Mail;

namespace SaasOnboarding.Api.Hosting;

/// <summary>Collects field errors of a request; empty when the request is valid.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Checks a text field; answers its trimmed value, or null when absent or invalid.</summary>
    public string? Text(string field, string? value, bool required, int maxLength, Func<string, bool>? isValid = null, string? rule = null)
    {
        if (value is null || value.Trim().Length == 0)
        {
            if (required)
            {
                Add(field, "This field is required.");
            }

            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
            return null;
        }

        if (trimmed.Any(char.IsControl))
        {
            Add(field, "Control characters are not allowed.");
            return null;
        }

        if (isValid is not null && !isValid(trimmed))
        {
            Add(field, rule ?? "The value is not valid.");
            return null;
        }

        return trimmed;
    }

    public string? Email(string field, string? value, bool required) =>
        Text(field, value, required, 254, IsEmail, "Must be an email address.");

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    private static bool IsEmail(string value) =>
        !value.Any(char.IsWhiteSpace)
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal);
}
