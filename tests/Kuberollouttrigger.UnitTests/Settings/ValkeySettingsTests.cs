using System.Net;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.UnitTests.Settings;

public sealed class ValkeySettingsTests
{
    [Theory]
    [InlineData("valkey:6379")]
    [InlineData("valkey-0.valkey:6379,valkey-1.valkey:6379, valkey-2.valkey:6379")]
    [InlineData("[::1]:6379,10.0.0.2:7000")]
    public void Valkey_address_is_one_endpoint_or_a_comma_separated_list(string address)
    {
        Assert.True(Validate(new ValkeyOptions { Address = address }).Succeeded);
    }

    [Theory]
    [InlineData("valkey:6379,", "''")]
    [InlineData("valkey:6379,valkey", "'valkey'")]
    [InlineData("redis://a:6379,b:6379", "'redis://a:6379'")]
    public void A_bad_entry_in_the_list_is_named(string address, string named)
    {
        var result = Validate(new ValkeyOptions { Address = address });

        Assert.StartsWith("VALKEY_ADDR / --valkey-addr must be host:port (for example valkey:6379) or a comma-separated list of them, not '", result.FailureMessage!, StringComparison.Ordinal);
        Assert.EndsWith($"({named} is not)", result.FailureMessage!, StringComparison.Ordinal);
    }

    [Fact]
    public void Sentinel_and_Cluster_together_are_refused_at_start()
    {
        var result = Validate(new ValkeyOptions { Address = "a:26379", SentinelMaster = "mymaster", Cluster = true });

        Assert.Equal("VALKEY_SENTINEL_MASTER / --valkey-sentinel-master and VALKEY_CLUSTER / --valkey-cluster exclude each other: Sentinel watches one primary, a Cluster fails over by itself",
            result.FailureMessage!);
    }

    [Theory]
    [InlineData("events{a}")]
    [InlineData("ev}ents")]
    public void In_a_Cluster_a_channel_with_braces_is_refused(string channel)
    {
        Assert.True(Validate(new ValkeyOptions { Address = "a:6379", Channel = channel }).Succeeded);

        var result = Validate(new ValkeyOptions { Address = "a:6379", Channel = channel, Cluster = true });

        Assert.StartsWith("VALKEY_CHANNEL / --valkey-channel must not contain { or } with VALKEY_CLUSTER", result.FailureMessage!, StringComparison.Ordinal);
    }

    [Fact]
    public void Sentinel_settings_make_the_list_the_Sentinels_with_the_same_password_and_TLS()
    {
        var read = SettingsReader.Read(CommonSettings.All,
            ["--valkey-addr", "s-0:26379,s-1:26379,s-2:26379", "--valkey-sentinel-master", "mymaster", "--valkey-password", "pw", "--valkey-tls"], _ => null);
        Assert.True(read.Succeeded, string.Join("; ", read.Errors));
        var options = Bind(read.Values);

        var configuration = ValkeyConnection.BuildConfiguration(options);

        Assert.Equal("mymaster", configuration.ServiceName);
        Assert.Equal(["s-0:26379", "s-1:26379", "s-2:26379"], configuration.EndPoints.Select(e => ((DnsEndPoint)e).Host + ":" + ((DnsEndPoint)e).Port));
        Assert.Equal("pw", configuration.Password);
        Assert.True(configuration.Ssl);
        Assert.False(options.Cluster);
        Assert.Equal("sentinel service mymaster via s-0:26379,s-1:26379,s-2:26379", options.Topology);
    }

    [Fact]
    public void Cluster_settings_list_the_seed_nodes_and_no_service_name()
    {
        var read = SettingsReader.Read(CommonSettings.All, ["--valkey-addr", "n-0:6379,n-1:6379", "--valkey-cluster"], _ => null);
        Assert.True(read.Succeeded, string.Join("; ", read.Errors));
        var options = Bind(read.Values);

        var configuration = ValkeyConnection.BuildConfiguration(options);

        Assert.True(options.Cluster);
        Assert.Null(configuration.ServiceName);
        Assert.Equal(2, configuration.EndPoints.Count);
        Assert.Equal("cluster via n-0:6379,n-1:6379", options.Topology);
    }

    [Fact]
    public void One_address_stays_a_standalone_Valkey()
    {
        var options = Bind(SettingsReader.Read(CommonSettings.All, [], name => name == "VALKEY_ADDR" ? "valkey:6379" : null).Values);

        Assert.False(options.Cluster);
        Assert.False(options.IsSentinel);
        Assert.Equal("valkey:6379", options.Topology);
    }

    private static ValidateOptionsResult Validate(ValkeyOptions options) => new ValkeyOptionsValidator().Validate(null, options);

    private static ValkeyOptions Bind(IReadOnlyDictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(ValkeyOptions.Section).Get<ValkeyOptions>()!;
}
