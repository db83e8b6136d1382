using System.Text.Json;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>What the application tells the Valkey receive path about its endpoint and its messages.</summary>
/// <param name="ClientName">This process in Valkey's CLIENT LIST, e.g. <c>kuberollouttrigger-worker</c>.</param>
/// <param name="EndpointName">The MassTransit receive endpoint the messages are dispatched to.</param>
/// <param name="OrderingKey">Reads the ordering key from a message (the envelope's <c>message</c>, or a raw JSON object): messages with the same key are handled one after another.</param>
/// <param name="IsRefusal">True for a failure no later delivery can fix: the message is dead-lettered at once.</param>
/// <param name="ConsumerName">This process's name in the stream's consumer group and in dead letters: unique per process start.</param>
/// <param name="MessageIdLogField">The log field that carries a message's id on every line the receive path writes about it (the application's name for it).</param>
public sealed record ReceiveEndpointDefinition(
    string ClientName,
    string EndpointName,
    Func<JsonElement, string> OrderingKey,
    Func<Exception, bool> IsRefusal,
    Func<IServiceProvider, string> ConsumerName,
    string MessageIdLogField = "message_id");
