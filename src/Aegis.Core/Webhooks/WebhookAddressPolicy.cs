using System.Net;
using System.Net.Sockets;

namespace Aegis.Core.Webhooks;

/// <summary>
/// Which addresses a webhook may reach (server-side request forgery defence). Refused unless configuration allows
/// them: loopback, unspecified, link-local (which holds the cloud metadata address 169.254.169.254), private
/// (RFC 1918), shared/CGNAT (100.64.0.0/10), unique-local IPv6 (fc00::/7, which holds AWS's fd00:ec2::254), multicast,
/// broadcast and the other special-purpose blocks below. IPv4-mapped IPv6 addresses are judged as the IPv4 address
/// they carry. The check runs at registration and again on the address each connection actually uses.
/// </summary>
/// <param name="allowPrivate">Allow every address except the metadata ones (a closed network's own receivers).</param>
/// <param name="allowed">Networks allowed whatever the rules say (e.g. <c>127.0.0.0/8</c> in tests); the metadata
/// addresses only pass when listed here.</param>
public sealed class WebhookAddressPolicy(bool allowPrivate, IReadOnlyList<IPNetwork> allowed)
{
    private static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPAddress[] Metadata = [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("fd00:ec2::254")];

    /// <summary>The policy that refuses every special-purpose address.</summary>
    public static WebhookAddressPolicy Strict { get; } = new(false, []);

    /// <summary>Why <paramref name="address"/> may not be reached, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (allowed.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address)))
        {
            return null;
        }

        if (Metadata.Contains(address))
        {
            return $"{address} is a cloud metadata address";
        }

        if (allowPrivate)
        {
            return null;
        }

        foreach (var block in Forbidden)
        {
            if (block.BaseAddress.AddressFamily == address.AddressFamily && block.Contains(address))
            {
                return $"{address} is in {block}, a loopback, private, link-local or other special-purpose network";
            }
        }

        return null;
    }
}
