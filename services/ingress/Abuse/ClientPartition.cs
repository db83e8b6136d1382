using System.Net;
using System.Net.Sockets;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// The key an address is limited by: IPv4 addresses as they are, IPv6 addresses by their /64, since one host
/// usually holds a whole /64 and could otherwise rotate through it.
/// </summary>
public static class ClientPartition
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
