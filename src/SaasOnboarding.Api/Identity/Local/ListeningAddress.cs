using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>The address the server listens on, as a client on this host would call it.</summary>
public static class ListeningAddress
{
    /// <summary>The base address of an in-memory test server, which listens on no address.</summary>
    public const string InMemoryBaseUrl = "http://localhost";

    /// <summary>The first listening address with a wildcard host named <c>localhost</c>; null until the server listens.</summary>
    public static string? BaseUrl(IServer? server)
    {
        var address = server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null ? null : Callable(address).TrimEnd('/');
    }

    /// <summary>Kestrel reports a wildcard binding as <c>[::]</c>, <c>0.0.0.0</c> or <c>+</c>: no client can call those.</summary>
    public static string Callable(string address) => address
        .Replace("://[::]", "://localhost", StringComparison.Ordinal)
        .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
        .Replace("://+", "://localhost", StringComparison.Ordinal)
        .Replace("://*", "://localhost", StringComparison.Ordinal);
}
