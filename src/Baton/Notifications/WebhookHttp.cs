using System.Net;
using System.Net.Sockets;

namespace Baton.Notifications;

/// <summary>
/// The HTTP clients outbound webhooks (`notify:`, `alerts.webhook`) are sent with. On a server a tenant writes
/// the URL, so by default it must not reach the server's own network: the guarded client resolves the name
/// itself and connects only to a public address it resolved — checked on the address actually connected to
/// (SocketsHttpHandler.ConnectCallback), so a name that answers a public address first and a private one next
/// (DNS rebinding) gains nothing. No proxy, no redirects (a 3xx is a failed delivery, not a second hop).
/// </summary>
public static class WebhookHttp
{
    private static readonly HttpClient Open = Create(allowPrivate: true);
    private static readonly HttpClient Guarded = Create(allowPrivate: false);

    /// <param name="allowPrivate">Loopback, private, link-local and other non-public addresses too (`baton run`; a server only when its operator says so).</param>
    public static HttpClient For(bool allowPrivate) => allowPrivate ? Open : Guarded;

    private static HttpClient Create(bool allowPrivate) =>
        new(
            new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(1), // names are resolved again, not pinned forever
                ConnectCallback = (context, cancellationToken) =>
                    ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
            }
        )
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

    private static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endPoint,
        bool allowPrivate,
        CancellationToken cancellationToken
    )
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var usable = allowPrivate ? addresses : [.. addresses.Where(IsPublic)];
        if (usable.Length == 0)
            throw new AddressRefusedException(
                $"{endPoint.Host} is {string.Join(", ", addresses.Select(a => a.ToString()))}: not a public address, and this server sends webhooks only to public ones (the operator allows others with baton serve --allow-private-notify)"
            );
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>False for loopback, private (RFC 1918, unique local), link-local (169.254/16: cloud metadata), CGNAT, multicast, reserved and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(
                b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19)
            );
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        var bytes = address.GetAddressBytes();
        // NAT64 (64:ff9b::/96) carries an IPv4 address: judge that one.
        if (bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes[4..12].All(x => x == 0))
            return IsPublic(new IPAddress(bytes[12..]));
        return !(
            IPAddress.IsLoopback(address)
            || address.Equals(IPAddress.IPv6None)
            || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal
            || address.IsIPv6Multicast
            || bytes[..12].All(x => x == 0) // ::, ::1 and the old IPv4-compatible ::a.b.c.d
        );
    }
}

/// <summary>A webhook's host resolved only to addresses this client may not connect to; retrying will not help.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);
