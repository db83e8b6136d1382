using System.Globalization;
using System.Net;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>
/// A Go-style listen address: <c>:8080</c> (every interface), <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>localhost:8080</c>.
/// Port 0 asks for a free port.
/// </summary>
public sealed record ListenAddress(IPAddress? Address, bool Localhost, int Port)
{
    public static ListenAddress? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var colon = value.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            return null;
        var host = value[..colon].Trim('[', ']');
        if (host.Length == 0)
            return new ListenAddress(null, false, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new ListenAddress(null, true, port);
        return IPAddress.TryParse(host, out var ip) ? new ListenAddress(ip, false, port) : null;
    }

    public override string ToString() => Localhost ? $"localhost:{Port}" : Address is null ? $":{Port}" : $"{Address}:{Port}";
}
