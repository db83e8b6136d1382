using System.Diagnostics;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// Stream delivery's publisher: XADD of the same MassTransit envelope bytes and content type PubSub carries, to a
/// capped stream (MAXLEN ~). It never creates the stream by itself (no MKSTREAM on XADD): when the stream is missing,
/// for instance after Valkey lost it, it creates the consumer group with the stream first, so no entry is ever
/// written where no group would read it. Then a best-effort PUBLISH on the wake-up channel lets idle workers read at once.
/// </summary>
public sealed partial class ValkeyStreamPublisher(
    IValkeyConnection connection,
    IOptions<ValkeyOptions> valkeyOptions,
    IOptions<StreamDeliveryOptions> streamOptions,
    ILogger<ValkeyStreamPublisher> logger) : IValkeyMessagePublisher
{
    private readonly ValkeyOptions _valkey = valkeyOptions.Value;
    private readonly StreamDeliveryOptions _stream = streamOptions.Value;
    private readonly StreamNames _names = StreamNames.For(valkeyOptions.Value);
    private readonly Uri _source = new($"valkey:{valkeyOptions.Value.ClientName}");
    private readonly Uri _destination = new($"valkey:stream/{Uri.EscapeDataString(StreamNames.For(valkeyOptions.Value).Stream)}");

    /// <returns>Stored: the entry stays in the stream until a worker of the group handles it, however many were woken.</returns>
    public async Task<PublishOutcome> PublishAsync<T>(T message, Guid messageId, CancellationToken cancellationToken) where T : class
    {
        using var activity = ValkeyTelemetry.StartPublish(_names.Stream, messageId);
        var body = MessageEnvelopeWriter.Write(message, messageId, _source, _destination);
        activity?.SetTag("messaging.message.body.size", body.Length);
        RedisValue id;
        IConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await connection.GetAsync().WaitAsync(_valkey.OperationTimeout, cancellationToken);
            var db = multiplexer.GetDatabase();
            id = await AddAsync(db, body).WaitAsync(_valkey.OperationTimeout, cancellationToken);
            if (id.IsNull)
            {
                await ConsumerGroup.EnsureAsync(db, _names.Stream, _stream.Group).WaitAsync(_valkey.OperationTimeout, cancellationToken);
                id = await AddAsync(db, body).WaitAsync(_valkey.OperationTimeout, cancellationToken);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw new ValkeyUnavailableException($"adding to the Valkey stream failed: {e.GetType().Name}", e);
        }
        if (id.IsNull)
            throw new ValkeyUnavailableException("the Valkey stream vanished twice while adding to it");
        activity?.SetTag("messaging.kuberollouttrigger.stream_id", id.ToString());
        return PublishOutcome.Stored(await WakeAsync(multiplexer, id, cancellationToken));
    }

    private Task<RedisValue> AddAsync(IDatabaseAsync db, byte[] body) =>
        db.StreamAddAsync(_names.Stream,
            [new NameValueEntry(StreamNames.BodyField, body), new NameValueEntry(StreamNames.ContentTypeField, MessageEnvelopeWriter.ContentType)],
            new StreamAddOptions { MaxLength = _stream.MaxLength, Approximate = true, CreateStream = false });

    private async Task<long> WakeAsync(IConnectionMultiplexer multiplexer, RedisValue id, CancellationToken cancellationToken)
    {
        try
        {
            return await multiplexer.GetSubscriber().PublishAsync(_names.WakeChannel, id).WaitAsync(_valkey.OperationTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The entry is stored; the workers find it on their next poll.
            LogWakeFailed(logger, _names.Wake, e.GetType().Name);
            return 0;
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Stored the event but could not notify the workers on {Channel} ({ErrorType}); they read it on their next poll")]
    private static partial void LogWakeFailed(ILogger logger, string channel, string errorType);
}
