using System.Net.Http.Json;

namespace SaasOnboarding.Testing;

/// <summary>
/// The app published with Native AOT, run as a child process on embedded defaults (SQLite files in a directory of
/// its own, the local identity provider), so that a trimming mistake fails a test rather than a first request in
/// production. <c>scripts/test.sh</c> publishes the binary and names it in <see cref="ChildApp.AotBinaryVariable"/>.
/// Nothing runs in-process: every call goes over HTTP, and tokens come from the sign-in journey.
/// </summary>
public sealed class AotApp : AppFactory, IAsyncLifetime
{
    private ChildApp? _child;

    public async Task InitializeAsync()
    {
        var binary = Environment.GetEnvironmentVariable(ChildApp.AotBinaryVariable);
        if (string.IsNullOrEmpty(binary) || !File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"{ChildApp.AotBinaryVariable} must name the app published with Native AOT; scripts/test.sh publishes it and sets it.");
        }

        var settings = AppSettings.Where(setting => setting.Value is not null).ToDictionary(setting => setting.Key, setting => setting.Value!);
        _child = await ChildApp.StartAsync(DataDirectory, settings, binary);
    }

    public override HttpClient CreateClient() =>
        (_child ?? throw new InvalidOperationException("The AOT app has not started.")).Client();

    /// <summary>
    /// The sign-in journey: the seeded system admin's password; a tenant user's <see cref="ApiClient.NewPassword"/> once
    /// it has answered its first challenge, else its first sign-in.
    /// </summary>
    public override async Task<Tokens> TokensForAsync(string userName, string pool = "tenant")
    {
        if (pool == "operations")
        {
            return await this.SignInAsync(userName, AdminPassword, pool);
        }

        using var client = CreateClient();
        var signIn = await client.PostAsJsonAsync("/auth/signin", new { userName, password = ApiClient.NewPassword, pool });
        return signIn.IsSuccessStatusCode && await signIn.Content.ReadFromJsonAsync<Tokens>() is { IdToken: not null } tokens
            ? tokens
            : await this.FirstSignInAsync(userName, pool);
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        // The child goes first: it holds the data directory's files, which the base deletes.
        if (disposing)
        {
            _child?.Dispose();
            _child = null;
        }

        base.Dispose(disposing);
    }
}
