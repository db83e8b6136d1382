using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kuberollouttrigger.Testing.Network;

/// <summary>
/// Where a test server listens: loopback over HTTP by default. Containers on a Docker network reach the host only at
/// that network's gateway address, so a server they must call listens there, over HTTPS when the caller insists on it
/// (an in-cluster Kubernetes client, an OIDC issuer the chart's schema wants https for).
/// </summary>
public sealed record ListenOn(IPAddress Address, X509Certificate2? Certificate = null)
{
    public static ListenOn Loopback { get; } = new(IPAddress.Loopback);

    public void Apply(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Listen(Address, 0, endpoint =>
        {
            if (Certificate is not null)
                endpoint.UseHttps(Certificate);
        });
    }
}
