using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Kuberollouttrigger.UnitTests.Settings;

public sealed class DeliverySettingsTests
{
    private static readonly Dictionary<string, string> Complete = new()
    {
        ["VALKEY_ADDR"] = "valkey:6379",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["GITHUB_OIDC_AUDIENCE"] = "krt",
        ["GITHUB_ALLOWED_ORG"] = "acme",
    };

    [Fact]
    public void Web_mode_delivers_by_PubSub_unless_told_otherwise()
    {
        var result = SettingsReader.Read(IngressSettings.All, [], Complete.GetValueOrDefault);

        Assert.True(result.Succeeded);
        Assert.Equal("pubsub", result.Values["Delivery:Mode"]);
        Assert.Equal("kuberollouttrigger-workers", result.Values["Delivery:Group"]);
        Assert.Equal("10000", result.Values["Delivery:MaxLength"]);
        Assert.False(Bind(result.Values).IsStream);
    }

    [Fact]
    public void Delivery_mode_flag_selects_the_stream_and_claim_idle_is_a_duration()
    {
        var result = SettingsReader.Read(DeliverySettings.Worker, ["--delivery-mode", "STREAM", "--stream-claim-idle", "90s"], _ => null);

        Assert.True(result.Succeeded);
        Assert.True(Bind(result.Values).IsStream);
        Assert.Equal("00:01:30", result.Values["Delivery:ClaimIdle"]);
        Assert.Equal("5", result.Values["Delivery:MaxDeliveries"]);
    }

    [Fact]
    public void Stream_keys_derive_from_the_channel()
    {
        var names = StreamNames.For("events");

        Assert.Equal(new StreamNames("events:stream", "events:stream:dead", "events:stream:wake"), names);
    }

    [Fact]
    public void In_a_Cluster_the_stream_its_dead_letters_and_its_wake_up_channel_share_the_slot_of_the_channel()
    {
        var names = StreamNames.For(new ValkeyNames("events", Cluster: true));

        Assert.Equal(("{events}:stream", "{events}:stream:dead", "{events}:stream:wake"), (names.Stream, names.DeadLetter, names.Wake));
        Assert.Equal(RedisChannel.Sharded("{events}:stream:wake"), names.WakeChannel);
        Assert.Equal(RedisChannel.Literal("events:stream:wake"), StreamNames.For("events").WakeChannel);
        Assert.Equal(RedisChannel.Sharded("events"), new ValkeyNames("events", Cluster: true).Events);
    }

    /// <summary>The options as the modes bind them from the settings read.</summary>
    private static StreamDeliveryOptions Bind(IReadOnlyDictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(StreamDeliveryOptions.Section).Get<StreamDeliveryOptions>()!;
}
