using System.Diagnostics;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// The web mode's publisher, for both delivery modes, through <see cref="PublishOnceScript"/>: PubSub PUBLISHes the
/// envelope on the channel (SPUBLISH in a Cluster, where the subscribers listen sharded: <see cref="ValkeyNames.Events"/>;
/// nobody subscribed means nobody has it); stream delivery XADDs the same envelope bytes and
/// content type to a capped stream (MAXLEN ~) and PUBLISHes the entry id on the wake-up channel so idle workers read
/// at once. It never creates the stream by itself: when the stream is missing, for instance after Valkey lost it, it
/// creates the consumer group with the stream first, so no entry is ever written where no group would read it.
/// </summary>
/// <remarks>
/// The script's command is bounded by the connection's own async timeout (VALKEY operation timeout) rather than a
/// second timer per request; a client that goes away does not cancel it, so an attempt either happens whole or not at all.
/// </remarks>
public sealed class ValkeyMessagePublisher : IValkeyMessagePublisher
{
    private readonly IValkeyConnection _connection;
    private readonly ValkeyOptions _valkey;
    private readonly StreamDeliveryOptions _delivery;
    private readonly ValkeyNames _valkeyNames;
    private readonly StreamNames _names;
    private readonly string _destinationName;
    private readonly string _channel;
    private readonly Uri _source;
    private readonly Uri _destination;

    public ValkeyMessagePublisher(IValkeyConnection connection, IOptions<ValkeyOptions> valkeyOptions, IOptions<StreamDeliveryOptions> deliveryOptions)
    {
        ArgumentNullException.ThrowIfNull(valkeyOptions);
        ArgumentNullException.ThrowIfNull(deliveryOptions);
        _connection = connection;
        _valkey = valkeyOptions.Value;
        _delivery = deliveryOptions.Value;
        _valkeyNames = ValkeyNames.Of(_valkey);
        _names = StreamNames.For(_valkeyNames);
        _destinationName = _delivery.IsStream ? _names.Stream : _valkey.Channel;
        _channel = _delivery.IsStream ? _names.Wake : _valkey.Channel;
        _source = new Uri($"valkey:{_valkey.ClientName}");
        _destination = new Uri($"valkey:{(_delivery.IsStream ? "stream" : "channel")}/{Uri.EscapeDataString(_destinationName)}");
    }

    public string RecordKey(string prefix, string id)
    {
        // Outside a Cluster a PubSub record needs no slot: its key stays what earlier versions wrote.
        if (!_delivery.IsStream && !_valkeyNames.Cluster)
            return prefix + id;
        // The record shares the slot of what the script writes beside it: the stream, or the sharded channel.
        return KeySlot.KeyBeside(_destinationName, prefix, id)
            ?? throw new InvalidOperationException($"'{_destinationName}' has no hash tag a record can share");
    }

    public async Task<PublishOnceResult> PublishOnceAsync<T>(T message, Guid messageId, OnceRecord record, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(record);
        using var activity = ValkeyTelemetry.StartPublish(_destinationName, messageId);
        var body = MessageEnvelopeWriter.Write(message, messageId, _source, _destination);
        activity?.SetTag("messaging.message.body.size", body.Length);
        try
        {
            var database = await DatabaseAsync(cancellationToken);
            var answer = await RunAsync(database, PublishOnceScript.PublishMode, messageId, record, body);
            if (answer.Verdict == "no-stream")
            {
                await ConsumerGroup.EnsureAsync(database, _names.Stream, _delivery.Group);
                answer = await RunAsync(database, PublishOnceScript.PublishMode, messageId, record, body);
            }
            var result = ResultOf(answer, messageId);
            activity?.SetTag("messaging.kuberollouttrigger.receivers", result.Outcome?.Listeners);
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw new ValkeyUnavailableException($"publishing to Valkey failed: {e.GetType().Name}", e);
        }
    }

    public async Task<PublishOnceResult> CheckAsync(OnceRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var database = await DatabaseAsync(cancellationToken);
            return ResultOf(await RunAsync(database, PublishOnceScript.CheckMode, Guid.Empty, record, ReadOnlyMemory<byte>.Empty), Guid.Empty);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ValkeyUnavailableException($"reading the record in Valkey failed: {e.GetType().Name}", e);
        }
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) =>
        (await _connection.GetAsync().WaitAsync(_valkey.OperationTimeout, cancellationToken)).GetDatabase();

    private Task<PublishOnceScript.Answer> RunAsync(IDatabase database, string mode, Guid messageId, OnceRecord record, ReadOnlyMemory<byte> body) =>
        PublishOnceScript.RunAsync(database, _delivery.IsStream ? [record.Key, _names.Stream] : [record.Key], mode, messageId, record,
            _channel, _valkeyNames.Cluster, body, MessageEnvelopeWriter.ContentType, _delivery.MaxLength);

    private PublishOnceResult ResultOf(PublishOnceScript.Answer answer, Guid messageId) => answer.Verdict switch
    {
        "published" => new(PublishOnceKind.Published, messageId,
            _delivery.IsStream ? PublishOutcome.Stored(answer.Listeners) : PublishOutcome.Published(answer.Listeners)),
        "delivered" => new(PublishOnceKind.AlreadyDelivered, Guid.ParseExact(answer.MessageId, "N"), null),
        "conflict" => new(PublishOnceKind.Conflict, Guid.ParseExact(answer.MessageId, "N"), null),
        "pending" => new(PublishOnceKind.Pending, Guid.ParseExact(answer.MessageId, "N"), null),
        "unrecorded" => new(PublishOnceKind.Unrecorded, messageId, null),
        "no-stream" => throw new ValkeyUnavailableException("the Valkey stream vanished twice while adding to it"),
        _ => throw new ValkeyUnavailableException($"Valkey answered the publish script with '{answer.Verdict}'"),
    };
}
