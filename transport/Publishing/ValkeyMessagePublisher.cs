using System.Diagnostics;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// PubSub delivery's publisher: PUBLISH of the envelope on the channel (SPUBLISH in a Cluster, where the subscribers
/// listen sharded: <see cref="ValkeyNames.Events"/>); nobody subscribed means nobody has it.
/// </summary>
public sealed class ValkeyMessagePublisher(IValkeyConnection connection, IOptions<ValkeyOptions> options) : IValkeyMessagePublisher
{
    private readonly ValkeyOptions _options = options.Value;
    private readonly RedisChannel _events = ValkeyNames.Of(options.Value).Events;
    private readonly Uri _source = new($"valkey:{options.Value.ClientName}");
    private readonly Uri _destination = new($"valkey:channel/{Uri.EscapeDataString(options.Value.Channel)}");

    public async Task<PublishOutcome> PublishAsync<T>(T message, Guid messageId, CancellationToken cancellationToken) where T : class
    {
        using var activity = ValkeyTelemetry.StartPublish(_options.Channel, messageId);
        var body = MessageEnvelopeWriter.Write(message, messageId, _source, _destination);
        activity?.SetTag("messaging.message.body.size", body.Length);
        try
        {
            var multiplexer = await connection.GetAsync().WaitAsync(_options.OperationTimeout, cancellationToken);
            var receivers = await multiplexer.GetSubscriber()
                .PublishAsync(_events, body)
                .WaitAsync(_options.OperationTimeout, cancellationToken);
            activity?.SetTag("messaging.kuberollouttrigger.receivers", receivers);
            return PublishOutcome.Published(receivers);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw new ValkeyUnavailableException($"publishing to Valkey failed: {e.GetType().Name}", e);
        }
    }
}
