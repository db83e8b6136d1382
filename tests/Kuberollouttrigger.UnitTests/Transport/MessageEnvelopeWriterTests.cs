using System.Diagnostics;
using System.Text.Json;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.UnitTests.Transport;

public sealed class MessageEnvelopeWriterTests
{
    [Fact]
    public void Writes_a_standard_MassTransit_envelope_with_the_current_trace()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var id = Guid.NewGuid();
        var message = new ImageUpdated(id, "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UnixEpoch);

        var bytes = MessageEnvelopeWriter.Write(message, id, new Uri("valkey:web"), new Uri("valkey:channel/x"));

        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        Assert.Equal(id, root.GetProperty("messageId").GetGuid());
        Assert.Equal("urn:message:Kuberollouttrigger.Contracts:ImageUpdated", root.GetProperty("messageType")[0].GetString());
        Assert.Equal(activity.Id, root.GetProperty("headers").GetProperty("MT-Activity-Id").GetString());
        Assert.Equal("ghcr.io/acme/app", root.GetProperty("message").GetProperty("image").GetString());
        Assert.Equal("application/vnd.masstransit+json", MessageEnvelopeWriter.ContentType);
    }
}
