using System.Text;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.RolloutWorker.Delivery;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Receiving;

namespace Kuberollouttrigger.UnitTests.Worker;

/// <summary>The transport reads envelopes and delivery counts; the worker's key function names the image.</summary>
public sealed class ImageOrderingKeyTests
{
    [Fact]
    public void Envelope_is_ordered_by_its_messages_image_and_carries_the_delivery_count()
    {
        var message = new ImageUpdated(Guid.NewGuid(), "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UtcNow);
        var body = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:test"), new Uri("valkey:channel/test"));

        var read = IncomingMessageReader.Read(body, ImageOrderingKey.Of, 3, out var error);

        Assert.Null(error);
        Assert.Equal("ghcr.io/acme/app", read!.OrderingKey);
        Assert.Equal(message.EventId, read.MessageId);
        Assert.Equal(3, read.Headers[TransportHeaders.DeliveryCount]);
    }

    [Theory]
    [InlineData("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", "ghcr.io/acme/app")]
    [InlineData("""{"image":42}""", "")]
    [InlineData("""{"tags":["dev"]}""", "")]
    [InlineData("""{"messageId":"5b4f0f38-1111-4e0f-9c6a-000000000001","messageType":["urn:message:X"],"message":[1]}""", "")]
    public void Raw_JSON_objects_are_ordered_by_their_image_or_share_the_empty_key(string json, string key)
    {
        var read = IncomingMessageReader.Read(Encoding.UTF8.GetBytes(json), ImageOrderingKey.Of, 1, out var error);

        Assert.Null(error);
        Assert.Equal(key, read!.OrderingKey);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("""{"messageType":["urn:message:X"],"message":{}}""", "envelope without a messageId")]
    public void What_is_not_a_JSON_object_or_an_envelope_with_an_id_is_unreadable(string json, string reason)
    {
        Assert.Null(IncomingMessageReader.Read(Encoding.UTF8.GetBytes(json), ImageOrderingKey.Of, 1, out var error));
        Assert.Equal(reason, error);
    }
}
