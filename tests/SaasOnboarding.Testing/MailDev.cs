using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SaasOnboarding.Testing;

/// <summary>One message as MailDev received it by SMTP.</summary>
public sealed record ReceivedMail(string From, string To, string Subject, string Text);

/// <summary>
/// The MailDev server that <c>scripts/services/maildev.sh</c> starts (SMTP with authentication, and an HTTP API the
/// messages are read back from), named by the <c>SAAS_TEST_MAILDEV_*</c> variables it exports.
/// </summary>
public static partial class MailDev
{
    public static string Api => Variable("SAAS_TEST_MAILDEV_API");

    public static int SmtpPort => int.Parse(Variable("SAAS_TEST_MAILDEV_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string UserName => Variable("SAAS_TEST_MAILDEV_USER");

    public static string Password => Variable("SAAS_TEST_MAILDEV_PASSWORD");

    /// <summary>The app's settings for sending to MailDev: loopback, no TLS, authenticated.</summary>
    public static Dictionary<string, string?> SmtpSettings(string sender = "no-reply@saas.test") => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:Smtp:Sender"] = sender,
        ["Email:Smtp:UserName"] = UserName,
        ["Email:Smtp:Password"] = Password,
    };

    /// <summary>Every message MailDev holds, newest first.</summary>
    public static async Task<IReadOnlyList<ReceivedMail>> MessagesAsync()
    {
        // In the order they arrived, reversed: MailDev's own sort is by the Date header, whole seconds, so it cannot
        // order two messages of the same second.
        using var http = new HttpClient { BaseAddress = new Uri(Api) };
        var messages = await http.GetFromJsonAsync<JsonElement>("/api/email");
        return [.. messages.EnumerateArray().Reverse().Select(message => new ReceivedMail(
            Address(message, "from"),
            Address(message, "to"),
            message.GetProperty("subject").GetString() ?? string.Empty,
            message.TryGetProperty("text", out var text) ? text.GetString() ?? string.Empty : string.Empty))];
    }

    /// <summary>The temporary password of the newest invitation of <paramref name="userName"/>, once it has had <paramref name="count"/>.</summary>
    public static async Task<string> TemporaryPasswordAsync(string userName, int count = 1) =>
        await NewestMatchAsync($"username is {Regex.Escape(userName)} and temporary password is (\\S+)\\. Sign in", userName, count);

    /// <summary>The newest password reset code of <paramref name="userName"/>, once it has had <paramref name="count"/>.</summary>
    public static async Task<string> ResetCodeAsync(string userName, int count = 1) =>
        await NewestMatchAsync($"reset code for {Regex.Escape(userName)} is ([0-9]{{6}})\\.", userName, count);

    /// <summary>The messages about <paramref name="userName"/> (its name in the body), newest first.</summary>
    public static async Task<List<ReceivedMail>> MessagesAboutAsync(string userName) =>
        [.. (await MessagesAsync()).Where(message => Regex.IsMatch(message.Text, $"\\b{Regex.Escape(userName)}\\b"))];

    private static async Task<string> NewestMatchAsync(string pattern, string userName, int count)
    {
        // The app answers once the server has taken the message; MailDev may store it a moment later.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var matches = (await MessagesAsync()).Select(message => Regex.Match(message.Text, pattern)).Where(match => match.Success).ToList();
            if (matches.Count >= count)
            {
                return matches[0].Groups[1].Value;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"MailDev holds fewer than {count} such messages for {userName}.");
    }

    private static string Address(JsonElement message, string field) =>
        message.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? list[0].GetProperty("address").GetString() ?? string.Empty
            : string.Empty;

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run scripts/test.sh, or eval \"$(scripts/services/maildev.sh start)\" first.");
}
