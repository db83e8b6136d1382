using System.Net;
using Kuberollouttrigger.Common.Hosting;

namespace Kuberollouttrigger.UnitTests.Settings;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData(":8080", null, false, 8080)]
    [InlineData("0.0.0.0:8080", "0.0.0.0", false, 8080)]
    [InlineData("127.0.0.1:0", "127.0.0.1", false, 0)]
    [InlineData("[::1]:9000", "::1", false, 9000)]
    [InlineData("localhost:8081", null, true, 8081)]
    public void Reads_go_style_addresses(string text, string? ip, bool localhost, int port)
    {
        var address = ListenAddress.Parse(text);

        Assert.NotNull(address);
        Assert.Equal(ip is null ? null : IPAddress.Parse(ip), address.Address);
        Assert.Equal(localhost, address.Localhost);
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080")]
    [InlineData(":http")]
    [InlineData(":70000")]
    [InlineData("example.com:80")]
    public void Refuses_what_it_cannot_bind(string text) => Assert.Null(ListenAddress.Parse(text));
}
