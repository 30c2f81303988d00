using Microsoft.Extensions.Options;

namespace SaasOnboarding.Testing;

public static class StartupFailures
{
    private const string Marker = nameof(OptionsValidationException) + ": ";

    /// <summary>
    /// Starts the app that <paramref name="create"/> makes and answers the message of the validation error that
    /// stopped it. When a start fails, WebApplicationFactory's deferred host can be disposed by the failing entry point
    /// before it rethrows the error, and then throws ObjectDisposedException instead; the host has logged the error
    /// ("Hosting failed to start") by then, so in that race the message is read from the app's log.
    /// </summary>
    public static string MessageOf(Func<AppFactory> create)
    {
        using var app = create();
        try
        {
            using var client = app.CreateClient();
        }
        catch (OptionsValidationException error)
        {
            return error.Message;
        }
        catch (ObjectDisposedException)
        {
            var logged = app.Logs.Lines.FirstOrDefault(line => line.Contains("Hosting failed to start", StringComparison.Ordinal) && line.Contains(Marker, StringComparison.Ordinal));
            Assert.True(logged is not null, "The app's start failed without logging a validation error.");
            var message = logged[(logged.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..];
            return message.Split('\n')[0].TrimEnd();
        }

        Assert.Fail("The app started; a validation error was expected.");
        return null!;
    }
}
