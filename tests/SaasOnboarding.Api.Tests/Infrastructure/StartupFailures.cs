using Microsoft.Extensions.Options;

namespace SaasOnboarding.Api.Tests.Infrastructure;

public static class StartupFailures
{
    /// <summary>
    /// Starts the app that <paramref name="create"/> makes and answers the validation error that stopped it. When a
    /// start fails, WebApplicationFactory's deferred host can be disposed by the failing entry point before it reads
    /// the error, and then throws ObjectDisposedException instead: only that race is retried, with a fresh app.
    /// </summary>
    public static OptionsValidationException Of(Func<AppFactory> create)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var app = create();
            try
            {
                using var client = app.CreateClient();
            }
            catch (OptionsValidationException error)
            {
                return error;
            }
            catch (ObjectDisposedException)
            {
                continue;
            }

            Assert.Fail("The app started; a validation error was expected.");
        }

        Assert.Fail("The app's start failed ten times without surfacing its validation error.");
        return null!;
    }
}
