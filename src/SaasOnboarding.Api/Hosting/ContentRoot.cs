namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// Where the app finds <c>appsettings.json</c> and <c>wwwroot</c>. The host's default is the current directory,
/// which for <c>dotnet /path/SaasOnboarding.Api.dll</c> started elsewhere holds neither: the app would then serve no
/// pages and read no settings file.
/// </summary>
public static class ContentRoot
{
    private const string SettingsFile = "appsettings.json";

    /// <summary>
    /// <c>--contentRoot</c> naming the app's own folder, unless a content root is set (command line,
    /// ASPNETCORE_CONTENTROOT, DOTNET_CONTENTROOT) or the current directory holds the app's settings file, as the
    /// project folder does under <c>dotnet run</c>.
    /// </summary>
    public static string[] HostArguments(string[] args)
    {
        var set = args.Any(arg => arg.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        if (set || File.Exists(Path.Combine(Environment.CurrentDirectory, SettingsFile)))
        {
            return [];
        }

        return [$"--contentRoot={AppContext.BaseDirectory}"];
    }
}
