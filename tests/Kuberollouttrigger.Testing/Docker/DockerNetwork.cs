using System.Net;

namespace Kuberollouttrigger.Testing.Docker;

/// <summary>
/// A user-defined bridge network of its own, as a cluster's pod network: its containers have their own network
/// namespaces (so fixed ports such as :8080 never collide with anything on the host) and reach the host at the
/// network's gateway address, where the test's own servers listen. Removed when disposed.
/// </summary>
public sealed class DockerNetwork : IAsyncDisposable
{
    private DockerNetwork(string name, IPAddress gateway)
    {
        Name = name;
        Gateway = gateway;
    }

    public string Name { get; }

    /// <summary>The host's address on this network.</summary>
    public IPAddress Gateway { get; }

    public static async Task<DockerNetwork> CreateAsync(string name)
    {
        await DockerCli.RunAsync(["network", "create", "--driver", "bridge", name], TimeSpan.FromMinutes(1));
        var (_, gateway) = await DockerCli.RunAsync(["network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", name], TimeSpan.FromSeconds(30));
        return new DockerNetwork(name, IPAddress.Parse(gateway.Trim()));
    }

    public async ValueTask DisposeAsync() =>
        await DockerCli.RunAsync(["network", "rm", Name], TimeSpan.FromMinutes(1), check: false);
}
