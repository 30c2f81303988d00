using System.Net;
using System.Net.Sockets;

namespace SaasOnboarding.Api.Webhooks;

/// <summary>
/// Which endpoint addresses are refused unless <see cref="WebhookOptions.AllowPrivateAddresses"/>: loopback, private
/// (RFC 1918, IPv6 unique local), link-local, shared (100.64/10), unspecified and multicast. Checked when an
/// endpoint is made (an address written as an IP, or <c>localhost</c>) and again at each connection, on every address
/// the name resolves to, so a name that points inside cannot be used to reach it.
/// </summary>
public static class WebhookAddresses
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    /// <summary>True when <paramref name="host"/> (as a URL names it) is an address or name that is private by its form alone.</summary>
    public static bool IsPrivateHost(string host)
    {
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var address))
        {
            return IsPrivate(address);
        }

        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) || bare.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Connects to the first of the host's addresses that is allowed; none allowed is an <see cref="HttpRequestException"/>
    /// (the handler's <c>ConnectCallback</c>).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(address => !IsPrivate(address))];
        if (allowed.Length == 0)
        {
            throw new HttpRequestException("The endpoint's host resolves to no address it may be sent to (loopback and private addresses are refused).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
